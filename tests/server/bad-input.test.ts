/**
 * Every refusal of the upload and login routes: a 4xx JSON error with a stable code, and
 * nothing stored (the uploads table keeps its row count).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { signToken } from '../../server/auth/token.js';
import { makeJpeg } from '../../src/domain/index.js';
import {
  PAGE, call, formFor, login, pinOf, multipart, rawMultipart, removeDir, startServer, tpsIn, upload, type Res, type TestServer,
} from './helpers.js';

const LIMITS = { maxPages: 5, maxPageBytes: 100_000, maxBodyBytes: 400_000 };

describe('refusals of the mock recap server', () => {
  let s: TestServer;
  let token: string;
  const bu = tpsIn('6205'); // Barito Utara: governor and bupati races
  const jakarta = tpsIn('3101'); // Jakarta: no bupati/walikota race
  const yogya = tpsIn('3401'); // DI Yogyakarta: no governor race
  const form = formFor(bu, 'pkwkp');

  beforeAll(async () => {
    s = await startServer({ limits: LIMITS });
    token = await login(s.base, bu);
    // One stored form, so that "nothing stored" is checked against a non-empty table.
    expect((await upload(s.base, token, bu, 'pkwkk', multipart(formFor(bu, 'pkwkk')))).status).toBe(201);
  });
  afterAll(async () => {
    await s.close();
    removeDir(s.dir);
  });

  async function expectRefused(res: Promise<Res>, status: number, code: string): Promise<Res> {
    const before = s.rows();
    const r = await res;
    expect(r.body).toMatchObject({ statusCode: status, code });
    expect(typeof r.body.error).toBe('string');
    expect(typeof r.body.message).toBe('string');
    expect(r.status).toBe(status);
    expect(s.rows()).toBe(before);
    return r;
  }

  const withAdmin = (patch: Record<string, unknown>) => ({ ...form, administrasi: { ...form.administrasi, ...patch } });

  it('refuses a JSON body instead of multipart (415 NOT_MULTIPART)', async () => {
    await expectRefused(call(s.base, 'PUT', `/api/v1/tps/${bu}/c1/pkwkp`, { json: form, headers: { authorization: `Bearer ${token}` } }), 415, 'NOT_MULTIPART');
    await expectRefused(upload(s.base, token, bu, 'pkwkp', 'plain text', { 'content-type': 'text/plain' }), 415, 'NOT_MULTIPART');
  });

  it('refuses a form without its data part (400 MISSING_DATA)', async () => {
    const { body, contentType } = rawMultipart([{ name: 'page', body: PAGE, filename: 'p.jpg', type: 'image/jpeg' }]);
    await expectRefused(upload(s.base, token, bu, 'pkwkp', body, { 'content-type': contentType }), 400, 'MISSING_DATA');
  });

  it('refuses a form without a photo page (400 MISSING_PAGE)', async () => {
    await expectRefused(upload(s.base, token, bu, 'pkwkp', multipart(form, [])), 400, 'MISSING_PAGE');
  });

  it('refuses data that is not JSON (400 INVALID_JSON)', async () => {
    await expectRefused(upload(s.base, token, bu, 'pkwkp', multipart('{"administrasi": ')), 400, 'INVALID_JSON');
  });

  it('refuses data of the wrong shape (422 INVALID_FORM)', async () => {
    await expectRefused(upload(s.base, token, bu, 'pkwkp', multipart({ chart: form.chart })), 422, 'INVALID_FORM');
    await expectRefused(upload(s.base, token, bu, 'pkwkp', multipart([1, 2])), 422, 'INVALID_FORM');
    const { suara_sah: _drop, ...partial } = form.administrasi;
    const r = await expectRefused(upload(s.base, token, bu, 'pkwkp', multipart({ ...form, administrasi: partial })), 422, 'INVALID_FORM');
    expect(r.body.message).toContain('suara_sah');
  });

  it('refuses negative, fractional and huge counts (422 INVALID_FORM)', async () => {
    await expectRefused(upload(s.base, token, bu, 'pkwkp', multipart(withAdmin({ suara_tidak_sah: -1 }))), 422, 'INVALID_FORM');
    await expectRefused(upload(s.base, token, bu, 'pkwkp', multipart(withAdmin({ suara_sah: 12.5 }))), 422, 'INVALID_FORM');
    const id = Object.keys(form.chart)[0];
    await expectRefused(upload(s.base, token, bu, 'pkwkp', multipart({ ...form, chart: { ...form.chart, [id]: -3 } })), 422, 'INVALID_FORM');
    await expectRefused(upload(s.base, token, bu, 'pkwkp', multipart({ ...form, chart: { ...form.chart, [id]: 0.5 } })), 422, 'INVALID_FORM');
    const r = await expectRefused(upload(s.base, token, bu, 'pkwkp', multipart({ ...form, chart: { ...form.chart, [id]: 1e9 } })), 422, 'INVALID_FORM');
    expect(r.body.message).toMatch(/at most/);
  });

  it('refuses a candidate id not on the Kalimantan Tengah governor ballot (422 UNKNOWN_CANDIDATE)', async () => {
    const r = await expectRefused(upload(s.base, token, bu, 'pkwkp', multipart({ ...form, chart: { ...form.chart, 100025: 3 } })), 422, 'UNKNOWN_CANDIDATE');
    expect(r.body.message).toContain('100025');
  });

  it('refuses an unknown TPS and an unknown contest (404)', async () => {
    await expectRefused(upload(s.base, token, '6205999999001', 'pkwkp', multipart(form)), 404, 'UNKNOWN_TPS');
    await expectRefused(upload(s.base, token, bu, 'ppwp', multipart(form)), 404, 'UNKNOWN_CONTEST');
    await expectRefused(upload(s.base, token, bu, 'dprd', multipart(form)), 404, 'UNKNOWN_CONTEST');
  });

  it('refuses a governor form from DI Yogyakarta and a bupati form from Jakarta (404 CONTEST_NOT_HELD)', async () => {
    const yt = await login(s.base, yogya);
    await expectRefused(upload(s.base, yt, yogya, 'pkwkp', multipart(formFor(yogya, 'pkwkk'))), 404, 'CONTEST_NOT_HELD');
    const jt = await login(s.base, jakarta);
    await expectRefused(upload(s.base, jt, jakarta, 'pkwkk', multipart(formFor(jakarta, 'pkwkp'))), 404, 'CONTEST_NOT_HELD');
  });

  it('refuses a page that is not a JPEG, or a truncated one (415 NOT_JPEG)', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(2000, 7)]);
    await expectRefused(upload(s.base, token, bu, 'pkwkp', multipart(form, [png])), 415, 'NOT_JPEG');
    await expectRefused(upload(s.base, token, bu, 'pkwkp', multipart(form, [PAGE, PAGE.subarray(0, 5000)])), 415, 'NOT_JPEG');
  });

  it('refuses more pages than the limit (413 TOO_MANY_PAGES)', async () => {
    const small = makeJpeg(2000, 3);
    await expectRefused(upload(s.base, token, bu, 'pkwkp', multipart(form, Array(6).fill(small))), 413, 'TOO_MANY_PAGES');
  });

  it('refuses a page over maxPageBytes (413 PAGE_TOO_LARGE)', async () => {
    await expectRefused(upload(s.base, token, bu, 'pkwkp', multipart(form, [makeJpeg(150_000, 4)])), 413, 'PAGE_TOO_LARGE');
  });

  it('refuses a body over maxBodyBytes, declared or streamed (413 BODY_TOO_LARGE)', async () => {
    const pages = Array(5).fill(makeJpeg(95_000, 5));
    await expectRefused(upload(s.base, token, bu, 'pkwkp', multipart(form, pages)), 413, 'BODY_TOO_LARGE');
    const { body, contentType } = rawMultipart([
      { name: 'data', body: JSON.stringify(form) },
      ...pages.map((p: Buffer, i: number) => ({ name: 'page', body: p, filename: `p${i}.jpg`, type: 'image/jpeg' })),
    ]);
    // Chunked: no content-length, the server counts while streaming.
    async function* chunks() {
      for (let i = 0; i < body.length; i += 16_384) yield body.subarray(i, i + 16_384);
    }
    const before = s.rows();
    const r = await request(`${s.base}/api/v1/tps/${bu}/c1/pkwkp`, {
      method: 'PUT', body: Readable.from(chunks()), headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
    });
    expect(r.statusCode).toBe(413);
    expect(((await r.body.json()) as { code: string }).code).toBe('BODY_TOO_LARGE');
    expect(s.rows()).toBe(before);
  });

  it('refuses a missing, forged or expired token (401)', async () => {
    await expectRefused(call(s.base, 'PUT', `/api/v1/tps/${bu}/c1/pkwkp`, { body: multipart(form) }), 401, 'MISSING_TOKEN');
    const forged = signToken('not-the-server-secret', bu, Math.floor(Date.now() / 1000) + 3600);
    await expectRefused(upload(s.base, forged, bu, 'pkwkp', multipart(form)), 401, 'INVALID_TOKEN');
    await expectRefused(upload(s.base, 'garbage', bu, 'pkwkp', multipart(form)), 401, 'INVALID_TOKEN');
    const expired = signToken('test-token-secret', bu, Math.floor(Date.now() / 1000) - 1);
    await expectRefused(upload(s.base, expired, bu, 'pkwkp', multipart(form)), 401, 'EXPIRED_TOKEN');
  });

  it('refuses a Barito Utara token for a Jakarta TPS (403 WRONG_TPS)', async () => {
    await expectRefused(upload(s.base, token, jakarta, 'pkwkp', multipart(formFor(jakarta, 'pkwkp'))), 403, 'WRONG_TPS');
  });

  it('refuses a wrong PIN, an unknown TPS and a malformed login', async () => {
    const wrong = (Number(pinOf(bu)) + 1) % 1_000_000;
    await expectRefused(call(s.base, 'POST', '/api/v1/auth/login', { json: { tps: bu, pin: String(wrong).padStart(6, '0') } }), 401, 'INVALID_CREDENTIALS');
    await expectRefused(call(s.base, 'POST', '/api/v1/auth/login', { json: { tps: '6205999999001', pin: '123456' } }), 404, 'UNKNOWN_TPS');
    await expectRefused(call(s.base, 'POST', '/api/v1/auth/login', { json: { tps: bu } }), 400, 'INVALID_BODY');
    await expectRefused(call(s.base, 'POST', '/api/v1/auth/login', { body: '{"tps":', headers: { 'content-type': 'application/json' } }), 400, 'INVALID_JSON');
  });

  it('still serves the same officer after all these refusals', async () => {
    const r = await upload(s.base, token, bu, 'pkwkp', multipart(form));
    expect(r.status).toBe(201);
  });
});

describe('multipart framing', () => {
  let s: TestServer;
  let token: string;
  const bu = tpsIn('6205', 3);
  beforeAll(async () => {
    s = await startServer();
    token = await login(s.base, bu);
  });
  afterAll(async () => {
    await s.close();
    removeDir(s.dir);
  });

  it('accepts a data part sent as application/json', async () => {
    const { body, contentType } = rawMultipart([
      { name: 'data', body: JSON.stringify(formFor(bu, 'pkwkp')), type: 'application/json' },
      { name: 'page', body: PAGE, filename: 'p.jpg', type: 'image/jpeg' },
    ]);
    expect((await upload(s.base, token, bu, 'pkwkp', body, { 'content-type': contentType })).status).toBe(201);
  });

  it('refuses an unexpected part and a body cut short (400 MALFORMED_MULTIPART)', async () => {
    const odd = rawMultipart([
      { name: 'data', body: JSON.stringify(formFor(bu, 'pkwkk')) },
      { name: 'signature', body: 'x' },
    ]);
    const r1 = await upload(s.base, token, bu, 'pkwkk', odd.body, { 'content-type': odd.contentType });
    expect(r1.body).toMatchObject({ statusCode: 400, code: 'MALFORMED_MULTIPART' });
    const cut = rawMultipart([{ name: 'data', body: JSON.stringify(formFor(bu, 'pkwkk')) }, { name: 'page', body: PAGE, filename: 'p.jpg' }]);
    const r2 = await upload(s.base, token, bu, 'pkwkk', cut.body.subarray(0, cut.body.length - 20), { 'content-type': cut.contentType });
    expect(r2.body).toMatchObject({ statusCode: 400, code: 'MALFORMED_MULTIPART' });
    expect(s.rows()).toBe(1);
  });
});
