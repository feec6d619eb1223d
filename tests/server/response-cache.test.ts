/**
 * Public reads served from the response cache (server/views/response-cache.ts): an answer
 * stays the same (ts included) while nothing is committed, changes as soon as an upload under
 * its region is acknowledged, and the cache keeps to its byte bound, least recently used first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResponseCache } from '../../server/views/response-cache.js';
import { call, formFor, login, multipart, removeDir, startServer, tpsIn, upload, type TestServer } from './helpers.js';

describe('cached public reads', () => {
  let s: TestServer;
  beforeAll(async () => { s = await startServer(); });
  afterAll(async () => {
    await s.close();
    removeDir(s.dir);
  });

  it('answer the same until an upload under the region is acknowledged, then the new data and its time', async () => {
    const tps = tpsIn('6205', 7);
    const paths = ['/api/v1/progress?region=6205', `/api/v1/progress?region=${tps.slice(0, 10)}`, `/api/v1/progress?region=${tps}`,
      '/pilkada/hhcw/pkwkp/62/6205.json', `/pilkada/hhcw/pkwkp/62/6205/${tps.slice(0, 6)}/${tps.slice(0, 10)}/${tps}.json`];
    const first = await Promise.all(paths.map((p) => call(s.base, 'GET', p)));
    for (const r of first) expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    const again = await Promise.all(paths.map((p) => call(s.base, 'GET', p)));
    expect(again.map((r) => r.body)).toEqual(first.map((r) => r.body));
    // Elsewhere: no change here.
    const other = tpsIn('3101', 2);
    expect((await upload(s.base, await login(s.base, other), other, 'pkwkp', multipart(formFor(other, 'pkwkp')))).status).toBe(201);
    expect((await call(s.base, 'GET', paths[0])).body).toEqual(first[0].body);

    const before = Date.now();
    expect((await upload(s.base, await login(s.base, tps), tps, 'pkwkp', multipart(formFor(tps, 'pkwkp')))).status).toBe(201);
    const [kab, desa, atTps, hhcw, tpsJson] = (await Promise.all(paths.map((p) => call(s.base, 'GET', p)))).map((r) => r.body);
    expect(kab.contests.pkwkp.tps_uploaded).toBe(first[0].body.contests.pkwkp.tps_uploaded + 1);
    expect(Date.parse(kab.ts)).toBeGreaterThanOrEqual(before - 5);
    expect(Date.parse(kab.ts)).toBeLessThanOrEqual(Date.now());
    expect(desa.children.find((c: { code: string }) => c.code === tps).contests.pkwkp.tps_uploaded).toBe(1);
    expect(atTps.contests.pkwkp.tps_uploaded).toBe(1);
    expect(hhcw.progres.progres).toBe(first[3].body.progres.progres + 1);
    expect(tpsJson.tungsura.chart).toEqual(formFor(tps, 'pkwkp').chart);
    // A correction of the same form moves the tallies again.
    const v2 = formFor(tps, 'pkwkp', 1);
    v2.chart = Object.fromEntries(Object.keys(v2.chart).map((k, i) => [k, i === 0 ? v2.administrasi.suara_sah : 0]));
    expect((await upload(s.base, await login(s.base, tps), tps, 'pkwkp', multipart(v2))).status).toBe(201);
    expect((await call(s.base, 'GET', paths[4])).body.tungsura.chart).toEqual(v2.chart);
    const id = Object.keys(v2.chart)[0];
    expect((await call(s.base, 'GET', paths[3])).body.chart[id]).toBe(hhcw.chart[id] - formFor(tps, 'pkwkp').chart[id] + v2.chart[id]);
  });

  it('keeps to its byte bound, dropping the least recently used entry', () => {
    const seqs = new Map<string, number>();
    const c = new ResponseCache((r) => seqs.get(r) ?? 0, 3 * (2 * 1000 + 96 + 2));
    const body = 'x'.repeat(999);
    c.set('a', 'r', 0, body);
    c.set('b', 'r', 0, body);
    c.set('c', 'r', 0, body);
    expect(c.get('a')).toBe(body); // a is now the most recent
    c.set('d', 'r', 0, body);
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBe(body);
    expect(c.size().entries).toBe(3);
    expect(c.size().bytes).toBeLessThanOrEqual(3 * (2 * 1000 + 96 + 2));
    seqs.set('r', 1);
    expect(c.get('a')).toBeUndefined();
  });
});
