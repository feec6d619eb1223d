/**
 * Security of the mock's login, upload and admin routes: forged, expired, truncated and
 * garbage tokens, a token of one TPS used for another, oversized codes and headers, path
 * tricks in URL segments, and the admin route from a non-loopback address (Fastify inject with
 * a remoteAddress: no traffic leaves loopback) or without / with a wrong admin token. All are
 * refused with stable codes. And no secret, PIN or token appears in the server's log: pino
 * output (trace level, every line) is captured while officers log in and upload and the admin
 * route is used, and searched for them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { LoggerOptions } from 'pino';
import { buildServer } from '../../server/app.js';
import { signToken } from '../../server/auth/token.js';
import { derivePin } from '../../src/domain/index.js';
import { PAGE, WORLD, formFor, rawMultipart, removeDir, tempDir, tpsIn } from '../server/helpers.js';
import { DbReader, errorShapeProblem, httpRequest, rawHttp } from './server-helpers.js';

const PIN_SECRET = 'sec-pin-secret-0c7d51';
const TOKEN_SECRET = 'sec-token-secret-a9e244';
const ADMIN_TOKEN = 'sec-admin-token-3f8b1e';

describe('security of the mock recap server', () => {
  let app: FastifyInstance;
  let dir: string;
  let db: DbReader;
  let port: number;
  const log: string[] = [];
  const issued: string[] = [];
  const bu = tpsIn('6205', 20);
  const jakarta = tpsIn('3101', 2);
  const nowS = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    dir = tempDir();
    const stream = new Writable({ write(chunk, _enc, done) { log.push(chunk.toString()); done(); } });
    app = await buildServer({
      election: WORLD.election, regions: [...WORLD.regions], scale: WORLD.scale, seed: WORLD.seed, db: `${dir}/recap.sqlite`,
      pinSecret: PIN_SECRET, tokenSecret: TOKEN_SECRET, adminToken: ADMIN_TOKEN,
      logger: { level: 'trace', stream } as LoggerOptions,
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as { port: number }).port;
    db = new DbReader(`${dir}/recap.sqlite`);
  });
  afterAll(async () => {
    db.close();
    await app.close();
    removeDir(dir);
  });

  const body = (tps: string) => rawMultipart([{ name: 'data', body: JSON.stringify(formFor(tps, 'pkwkp')) }, { name: 'page', body: PAGE, filename: 'p.jpg', type: 'image/jpeg' }]);
  async function put(tps: string, authorization: string | null, path = `/api/v1/tps/${tps}/c1/pkwkp`, remoteAddress?: string) {
    const { body: payload, contentType } = body(tps);
    const headers: Record<string, string> = { 'content-type': contentType };
    if (authorization !== null) headers.authorization = authorization;
    const r = await app.inject({ method: 'PUT', url: path, headers, payload, ...(remoteAddress ? { remoteAddress } : {}) });
    return { status: r.statusCode, json: r.json(), headers: r.headers };
  }
  function refused(r: { status: number; json: any }, status: number, code: string): void {
    expect(errorShapeProblem(r.status, r.json)).toBeNull();
    expect({ status: r.status, code: r.json.code }).toEqual({ status, code });
  }

  it('logs officers in and accepts their uploads (the logged calls)', async () => {
    for (const tps of [bu, jakarta]) {
      const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { tps, pin: derivePin(PIN_SECRET, tps) } });
      expect(r.statusCode).toBe(200);
      issued.push(r.json().token);
    }
    const wrong = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { tps: bu, pin: derivePin('other', bu) === derivePin(PIN_SECRET, bu) ? '000000' : derivePin('other', bu) } });
    refused({ status: wrong.statusCode, json: wrong.json() }, 401, 'INVALID_CREDENTIALS');
    expect((await put(bu, `Bearer ${issued[0]}`)).status).toBe(201);
  });

  it('refuses forged, expired, truncated, garbage and missing tokens', async () => {
    const before = db.counts();
    const good = signToken(TOKEN_SECRET, bu, nowS() + 600);
    refused(await put(bu, `Bearer ${signToken('guessed-secret', bu, nowS() + 600)}`), 401, 'INVALID_TOKEN');
    refused(await put(bu, `Bearer ${signToken(TOKEN_SECRET, bu, nowS() - 1)}`), 401, 'EXPIRED_TOKEN');
    refused(await put(bu, `Bearer ${good.slice(0, -5)}`), 401, 'INVALID_TOKEN');
    refused(await put(bu, `Bearer ${good.replace(/\.(\d+)\./, `.${nowS() + 10 ** 9}.`)}`), 401, 'INVALID_TOKEN'); // extended expiry, old signature
    refused(await put(bu, 'Bearer \u00ff\u00fe garbage'), 401, 'INVALID_TOKEN');
    refused(await put(bu, `Basic ${Buffer.from(`${bu}:${derivePin(PIN_SECRET, bu)}`).toString('base64')}`), 401, 'INVALID_TOKEN');
    refused(await put(bu, null), 401, 'MISSING_TOKEN');
    expect(db.counts()).toEqual(before);
  });

  it('refuses a token of one TPS used for another (403 WRONG_TPS), also with the TPS swapped inside the token', async () => {
    const before = db.counts();
    refused(await put(jakarta, `Bearer ${signToken(TOKEN_SECRET, bu, nowS() + 600)}`), 403, 'WRONG_TPS');
    refused(await put(jakarta, `Bearer ${signToken(TOKEN_SECRET, bu, nowS() + 600).replace(bu, jakarta)}`), 401, 'INVALID_TOKEN');
    expect(db.counts()).toEqual(before);
  });

  it('refuses oversized codes and headers and path tricks with a 4xx, never a 5xx', async () => {
    const before = db.counts();
    const token = `Bearer ${signToken(TOKEN_SECRET, bu, nowS() + 600)}`;
    refused(await put(bu, token, `/api/v1/tps/${'6'.repeat(2000)}/c1/pkwkp`), 414, 'URI_TOO_LONG');
    refused(await put(bu, token, `/api/v1/tps/${bu}1/c1/pkwkp`), 404, 'UNKNOWN_TPS');
    refused(await put(bu, token, `/api/v1/tps/${bu}/c1/${'p'.repeat(90)}`), 404, 'UNKNOWN_CONTEST');
    refused(await put(bu, token, `/api/v1/tps/..%2F..%2Fadmin%2Ffaults/c1/pkwkp`), 404, 'UNKNOWN_TPS');
    refused(await put(bu, token, `/api/v1/tps/${bu}%00/c1/pkwkp`), 404, 'UNKNOWN_TPS');
    refused(await put(bu, token, `/api/v1/tps/${bu}/c1/pkwkp%2F..%2Fpkwkk`), 404, 'UNKNOWN_CONTEST');
    refused(await put(bu, token, `/api/v1/tps/%E0%A4%A/c1/pkwkp`), 400, 'BAD_URL');
    refused(await put(bu, token, `/api/v1/tps/${bu}/c1/../../../../admin/faults`), 404, 'NOT_FOUND');
    // Through Node's parser (inject skips it): headers over the limit and a huge URL.
    const { body: payload, contentType } = body(bu);
    for (const req of [
      httpRequest('PUT', `/api/v1/tps/${bu}/c1/pkwkp`, { authorization: token, 'content-type': contentType, 'x-pad': 'a'.repeat(20_000) }, payload),
      httpRequest('PUT', `/api/v1/tps/${bu}/c1/pkwkp`, { authorization: `Bearer ${'A'.repeat(30_000)}`, 'content-type': contentType }, payload),
      httpRequest('GET', `/api/v1/progress?region=${'6'.repeat(40_000)}`, {}),
    ]) {
      const r = await rawHttp(port, req);
      refused({ status: r.status, json: r.json }, 431, 'HEADERS_TOO_LARGE');
    }
    expect(db.counts()).toEqual(before);
  });

  it('refuses the admin route from a non-loopback address, without or with a wrong admin token', async () => {
    const admin = async (url: string, headers: Record<string, string>, remoteAddress?: string, method: 'GET' | 'PUT' = 'GET') => {
      const r = await app.inject({ method, url, headers, ...(remoteAddress ? { remoteAddress } : {}), ...(method === 'PUT' ? { payload: { errorRate: 1 } } : {}) });
      return { status: r.statusCode, json: r.json() };
    };
    const ok = { 'x-admin-token': ADMIN_TOKEN };
    refused(await admin('/admin/faults', ok, '10.1.2.3'), 403, 'ADMIN_LOOPBACK_ONLY');
    refused(await admin('/admin/faults', ok, '10.1.2.3', 'PUT'), 403, 'ADMIN_LOOPBACK_ONLY');
    refused(await admin('/admin/faults', { authorization: `Bearer ${ADMIN_TOKEN}` }, '::ffff:10.1.2.3'), 403, 'ADMIN_LOOPBACK_ONLY');
    refused(await admin('/admin/faults', { ...ok, 'x-forwarded-for': '127.0.0.1' }, '192.168.0.9'), 403, 'ADMIN_LOOPBACK_ONLY');
    refused(await admin('/admin/faults', {}), 401, 'ADMIN_TOKEN_REQUIRED');
    refused(await admin('/admin/faults', { 'x-admin-token': 'sec-admin-token-3f8b1f' }), 401, 'ADMIN_TOKEN_REQUIRED');
    refused(await admin('/admin/faults', { 'x-admin-token': ADMIN_TOKEN.slice(0, -1) }), 401, 'ADMIN_TOKEN_REQUIRED');
    refused(await admin('/admin/faults', { authorization: `Bearer ${issued[0]}` }), 401, 'ADMIN_TOKEN_REQUIRED'); // an officer's token
    refused(await admin('/admin/faults', ok, '10.1.2.3', 'PUT'), 403, 'ADMIN_LOOPBACK_ONLY');
    // Path variants reach the same guard or no route at all, never the faults.
    for (const url of ['/admin/faults/', '/admin//faults', '/%61dmin/faults', '/ADMIN/faults', '/admin/faults?x=1', '/api/v1/../admin/faults']) {
      const r = await admin(url, ok, '10.1.2.3');
      expect([403, 404], url).toContain(r.status);
      expect(errorShapeProblem(r.status, r.json), url).toBeNull();
    }
    expect(app.faults.config).toEqual({});
    // From loopback with the token: allowed (and logged, without the token).
    const put = await admin('/admin/faults', ok, undefined, 'PUT');
    expect(put.status).toBe(200);
    expect((await admin('/admin/faults', ok)).json).toEqual({ errorRate: 1 });
    await app.inject({ method: 'PUT', url: '/admin/faults', headers: ok, payload: {} });
  });

  it('writes no secret, PIN or token to the log', async () => {
    const text = log.join('');
    expect(log.length).toBeGreaterThan(20); // trace level: every request was logged
    expect(text).toContain('fault configuration replaced');
    for (const secret of [PIN_SECRET, TOKEN_SECRET, ADMIN_TOKEN, ...issued]) expect(text.includes(secret), `log holds ${secret.slice(0, 12)}...`).toBe(false);
    for (const tps of [bu, jakarta]) expect(text).not.toContain(`"${derivePin(PIN_SECRET, tps)}"`);
    expect(text).not.toMatch(/v1\.\d{13}\.\d+\.[A-Za-z0-9_-]{20,}/);
    expect(text).not.toMatch(/"(pin|token|adminToken|pinSecret|tokenSecret)":"(?!\[redacted\])/);
  });
});
