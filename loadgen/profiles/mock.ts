/**
 * The profile of ujibeban's own mock server (DESIGN.md "Mock server HTTP API"), and the
 * example to copy for another target. PINs are derived from the shared secret, so any TPS
 * can log in without a list.
 */
import { ELECTIONS, derivePin, type Rng } from '../../src/domain/index.js';
import { buildUploadBody } from '../multipart.js';
import type { HttpResult, RequestSpec } from '../http/types.js';
import type { ProfileContext, ReadKind, TargetMeta, TargetProfile, UploadAck, UploadInput } from '../profile.js';

const JSON_HEADERS = { 'content-type': 'application/json' };

function pickTps(ctx: ProfileContext, rng: Rng): string {
  return ctx.hierarchy.tpsCode(Math.floor(rng() * ctx.hierarchy.totalTps));
}

/** Province codes per hierarchy, computed once (reads pick one per request). */
const provinceCodes = new WeakMap<object, string[]>();

function pickProvince(ctx: ProfileContext, rng: Rng): string {
  let codes = provinceCodes.get(ctx.hierarchy);
  if (!codes) {
    codes = ctx.hierarchy.provinces().map((p) => p.province.code);
    provinceCodes.set(ctx.hierarchy, codes);
  }
  return codes[Math.floor(rng() * codes.length)];
}

export const mockProfile: TargetProfile = {
  name: 'mock',

  login(ctx: ProfileContext, tpsCode: string): RequestSpec {
    return {
      method: 'POST',
      path: '/api/v1/auth/login',
      headers: JSON_HEADERS,
      body: JSON.stringify({ tps: tpsCode, pin: derivePin(ctx.pinSecret, tpsCode) }),
      parse: true,
    };
  },

  token(res: HttpResult): string | null {
    const t = (res.body as { token?: unknown } | null)?.token;
    return typeof t === 'string' ? t : null;
  },

  upload(_ctx: ProfileContext, token: string, u: UploadInput): RequestSpec {
    const data = JSON.stringify({ administrasi: u.form.administrasi, chart: u.form.chart, client: u.client });
    const mp = buildUploadBody(data, u.pages);
    return {
      method: 'PUT',
      path: `/api/v1/tps/${u.tpsCode}/c1/${u.contest}`,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': mp.contentType,
        'content-length': String(mp.contentLength),
      },
      body: mp.chunks,
      parse: true,
    };
  },

  uploadAck(res: HttpResult): UploadAck {
    const b = res.body as { receipt?: unknown; version?: unknown; status_suara?: unknown; status_adm?: unknown } | null;
    return {
      receipt: typeof b?.receipt === 'string' ? b.receipt : null,
      version: typeof b?.version === 'number' ? b.version : 0,
      flagged: b?.status_suara === false || b?.status_adm === false,
    };
  },

  read(ctx: ProfileContext, kind: ReadKind, rng: Rng): RequestSpec {
    const e = ELECTIONS[ctx.election];
    let path: string;
    if (kind === 'progress') {
      path = `/api/v1/progress?region=${pickProvince(ctx, rng)}`;
    } else {
      const tps = pickTps(ctx, rng);
      const contests = ctx.hierarchy.contestsAt(tps);
      const contest = contests[Math.floor(rng() * contests.length)] ?? e.contests[0];
      const codes = [tps.slice(0, 2), tps.slice(0, 4), tps.slice(0, 6), tps.slice(0, 10), tps];
      // hhcw: half at a TPS (what a citizen checks against their photo), half an aggregate level.
      const depth = kind === 'hhcw' && rng() < 0.5 ? 5 : 1 + Math.floor(rng() * 4);
      const tail = codes.slice(0, depth).join('/');
      path = kind === 'hhcw' ? `/${e.publicName}/hhcw/${contest}/${tail}.json` : `/wilayah/${e.publicName}/${contest}/${tail}.json`;
    }
    return { method: 'GET', path, headers: {}, body: null, parse: false };
  },

  meta(): RequestSpec {
    return { method: 'GET', path: '/api/v1/meta', headers: {}, body: null, parse: true };
  },

  parseMeta(res: HttpResult): TargetMeta | null {
    const b = res.body as Partial<TargetMeta> | null;
    if (!b || typeof b.election !== 'string') return null;
    return {
      election: b.election, regions: b.regions ?? 'all', scale: Number(b.scale), seed: Number(b.seed),
      tps_total: Number(b.tps_total),
    };
  },
};

export default mockProfile;
