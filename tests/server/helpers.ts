/**
 * Fixtures for the mock-server suites: a real server on 127.0.0.1 (ephemeral port) with a real
 * SQLite file in a temp dir, and helpers that log officers in and upload C1 forms over HTTP.
 * The default world: Barito Utara (6205, real kecamatan), one Jakarta kota (3101, no
 * bupati/walikota race) and one DI Yogyakarta kabupaten (3401, no governor race), Pilkada 2024.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FormData, request } from 'undici';
import type { FastifyInstance } from 'fastify';
import { buildServer, type ServerOptions } from '../../server/app.js';
import {
  DEFAULT_PIN_SECRET, Hierarchy, derivePin, generateForm, makeJpeg, type C1Form, type ContestId,
} from '../../src/domain/index.js';

export const WORLD = { election: 'pilkada-2024', regions: ['6205', '3101', '3401'], scale: 1, seed: 7 } as const;

export const hierarchy = new Hierarchy({ ...WORLD, regions: [...WORLD.regions] });

/** First TPS of a region (by code prefix). */
export function tpsIn(region: string, n = 0): string {
  const r = hierarchy.region(region);
  if (!r) throw new Error(`no region ${region}`);
  return hierarchy.tpsCode(r.tpsStart + n);
}

export interface TestServer {
  app: FastifyInstance;
  base: string;
  dir: string;
  db: string;
  adminToken: string;
  close(): Promise<void>;
  /** Rows in the uploads table (every stored version). */
  rows(): number;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'ujibeban-server-'));
}

export async function startServer(opts: Partial<ServerOptions> = {}, dir = tempDir()): Promise<TestServer> {
  const db = opts.db ?? join(dir, 'recap.sqlite');
  const adminToken = opts.adminToken ?? 'test-admin-token';
  const app = await buildServer({
    election: WORLD.election, regions: [...WORLD.regions], scale: WORLD.scale, seed: WORLD.seed,
    tokenSecret: 'test-token-secret', logger: false, ...opts, db, adminToken,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    app, base: `http://127.0.0.1:${port}`, dir, db, adminToken,
    close: async () => {
      await app.close();
    },
    rows: () => app.store.queries.uploadRows(),
  };
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface Res<T = any> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
}

export async function call<T = any>(base: string, method: 'GET' | 'POST' | 'PUT', path: string, init: {
  json?: unknown; headers?: Record<string, string>; body?: FormData | string | Buffer;
} = {}): Promise<Res<T>> {
  const headers: Record<string, string> = { ...init.headers };
  let body = init.body;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  }
  const r = await request(base + path, { method, headers, body });
  const text = await r.body.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // metrics and other text answers stay text
  }
  return { status: r.statusCode, headers: r.headers, body: parsed as T };
}

export const pinOf = (tps: string): string => derivePin(DEFAULT_PIN_SECRET, tps);

export async function login(base: string, tps: string): Promise<string> {
  const r = await call(base, 'POST', '/api/v1/auth/login', { json: { tps, pin: pinOf(tps) } });
  if (r.status !== 200) throw new Error(`login ${tps}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.token as string;
}

export function formFor(tps: string, contest: ContestId, revision = 0): C1Form {
  return generateForm({ seed: WORLD.seed, tpsCode: tps, contest, meanDpt: 400, maxVoters: 600, revision });
}

export const PAGE = makeJpeg(20_000, 1);

export function multipart(data: unknown, pages: Buffer[] = [PAGE]): FormData {
  const fd = new FormData();
  fd.append('data', typeof data === 'string' ? data : JSON.stringify(data));
  for (const [i, p] of pages.entries()) fd.append('page', new Blob([new Uint8Array(p)], { type: 'image/jpeg' }), `page-${i + 1}.jpg`);
  return fd;
}

export async function upload(base: string, token: string, tps: string, contest: string, body: FormData | string | Buffer, headers: Record<string, string> = {}): Promise<Res> {
  return call(base, 'PUT', `/api/v1/tps/${tps}/c1/${contest}`, { body, headers: { authorization: `Bearer ${token}`, ...headers } });
}

/** A multipart body built by hand (for chunked bodies and odd part orders). */
export function rawMultipart(parts: Array<{ name: string; body: string | Buffer; filename?: string; type?: string }>): { body: Buffer; contentType: string } {
  const boundary = '----ujibeban' + Math.random().toString(16).slice(2);
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disp = `form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"` : ''}`;
    const head = `--${boundary}\r\nContent-Disposition: ${disp}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ''}\r\n`;
    chunks.push(Buffer.from(head), Buffer.isBuffer(p.body) ? p.body : Buffer.from(p.body), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
