/**
 * A target profile: how the engine talks to one kind of server. The engine owns timing,
 * retries and recording; the profile only turns intentions (log in TPS X, upload this form,
 * read progress) into RequestSpecs and reads the few things the engine needs back from
 * responses. Keeping it to pure functions keeps the hot path free of per-target branching.
 * Documented in docs/target-profiles.md; loaded with `--target-profile FILE`.
 */
import type { C1Form, ContestId, ElectionId, Hierarchy, Rng } from '../src/domain/index.js';
import type { HttpResult, RequestSpec } from './http/types.js';

export type ReadKind = 'progress' | 'hhcw' | 'wilayah';

export interface ProfileContext {
  election: ElectionId;
  hierarchy: Hierarchy;
  /** Secret the mock derives PINs from (--pin-secret). */
  pinSecret: string;
}

export interface UploadInput {
  tpsCode: string;
  contest: ContestId;
  form: C1Form;
  /** Photo Buffers (from the PhotoPool: pass on, never copy). */
  pages: readonly Buffer[];
  /** 0 first upload, 1.. corrections. */
  revision: number;
  /** Free-form client metadata sent with the form. */
  client: Record<string, unknown>;
}

/** What an upload's answer says (from a 2xx body). */
export interface UploadAck {
  receipt: string | null;
  version: number;
  /** The server's arithmetic guard flagged the form (status_suara or status_adm false). */
  flagged: boolean;
}

export interface TargetMeta {
  election: string;
  regions: 'all' | string[];
  scale: number;
  seed: number;
  tps_total: number;
}

/**
 * How the engine should react to an attempt's result:
 * ok: done; retry: back off and try again; reauth: log in again, then retry (once);
 * fail: give up (recorded).
 */
export type Verdict = 'ok' | 'retry' | 'reauth' | 'fail';

export interface TargetProfile {
  name: string;
  login(ctx: ProfileContext, tpsCode: string): RequestSpec;
  /** The bearer token from a 2xx login answer, or null. */
  token(res: HttpResult): string | null;
  upload(ctx: ProfileContext, token: string, u: UploadInput): RequestSpec;
  uploadAck(res: HttpResult): UploadAck;
  /** A public read; `rng` picks the region/TPS to read. */
  read(ctx: ProfileContext, kind: ReadKind, rng: Rng): RequestSpec;
  /** The request that reads what the server holds (optional: skip the meta check without it). */
  meta?(ctx: ProfileContext): RequestSpec;
  parseMeta?(res: HttpResult): TargetMeta | null;
  /** Defaults to `classifyDefault`. */
  classify?(step: 'login' | 'upload' | 'read', res: HttpResult): Verdict;
}

/** Transport errors, timeouts, 5xx, 429 and 503 are worth retrying; 401 on an upload re-logs in. */
export function classifyDefault(step: 'login' | 'upload' | 'read', res: HttpResult): Verdict {
  const s = res.status;
  if (s >= 200 && s < 300) return 'ok';
  if (s === 0 || s >= 500 || s === 429 || s === 408) return 'retry';
  if (s === 401 && step === 'upload') return 'reauth';
  return 'fail';
}

/** Checks that a module's export looks like a TargetProfile; names what is missing. */
export function assertProfile(p: unknown, from: string): TargetProfile {
  const o = p as Partial<TargetProfile> | null;
  const missing = (['name', 'login', 'token', 'upload', 'uploadAck', 'read'] as const)
    .filter((k) => !o || o[k] === undefined);
  if (missing.length > 0) {
    throw new Error(`${from}: target profile is missing ${missing.join(', ')} ` +
      '(expected an export `profile` or default export with name, login, token, upload, uploadAck, read)');
  }
  return o as TargetProfile;
}

/** Loads a profile module (.js, or .ts when run under tsx): `export const profile` or default. */
export async function loadProfile(file: string): Promise<TargetProfile> {
  const { pathToFileURL } = await import('node:url');
  const { resolve } = await import('node:path');
  const mod = await import(pathToFileURL(resolve(file)).href) as { profile?: unknown; default?: unknown };
  return assertProfile(mod.profile ?? mod.default, file);
}
