/**
 * What viewers read: Sirekap-shaped region lists and results, progress, meta, health and
 * metrics, before and after uploads from Barito Utara.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, formFor, hierarchy, login, multipart, removeDir, startServer, tpsIn, upload, WORLD, type TestServer } from './helpers.js';

describe('public JSON of a Barito Utara mock', () => {
  let s: TestServer;
  const tps = tpsIn('6205');
  const tpsPath = `62/6205/${tps.slice(0, 6)}/${tps.slice(0, 10)}/${tps}`;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(async () => {
    await s.close();
    removeDir(s.dir);
  });

  it('meta tells the election, regions, scale, seed and TPS total', async () => {
    const r = await call(s.base, 'GET', '/api/v1/meta');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      election: 'pilkada-2024', regions: [...WORLD.regions], scale: 1, seed: WORLD.seed,
      tps_total: hierarchy.totalTps, contests: ['pkwkp', 'pkwkk'], version: '1',
    });
  });

  it('healthz answers ok', async () => {
    const r = await call(s.base, 'GET', '/healthz');
    expect(r.body).toEqual({ status: 'ok', db: true });
  });

  it('lists the nine real kecamatan of Barito Utara', async () => {
    const r = await call(s.base, 'GET', '/wilayah/pilkada/pkwkk/62/6205.json');
    expect(r.status).toBe(200);
    expect(r.body.map((x: { nama: string }) => x.nama)).toEqual([
      'Montallat', 'Gunung Timang', 'Gunung Purei', 'Teweh Timur', 'Teweh Tengah', 'Lahei', 'Teweh Baru', 'Teweh Selatan', 'Lahei Barat',
    ]);
    expect(r.body[0]).toEqual({ nama: 'Montallat', id: 620501, kode: '620501', tingkat: 3 });
  });

  it('lists provinces holding the governor race (no DI Yogyakarta) and kab/kota of Kalteng', async () => {
    const prov = await call(s.base, 'GET', '/wilayah/pilkada/pkwkp/0.json');
    expect(prov.body.map((x: { kode: string }) => x.kode)).toEqual(['31', '62']);
    const bupati = await call(s.base, 'GET', '/wilayah/pilkada/pkwkk/0.json');
    expect(bupati.body.map((x: { kode: string }) => x.kode)).toEqual(['34', '62']);
    const kab = await call(s.base, 'GET', '/wilayah/pilkada/pkwkp/62.json');
    expect(kab.body).toEqual([{ nama: 'Barito Utara', id: 6205, kode: '6205', tingkat: 2 }]);
    const desa = tps.slice(0, 10);
    const tpsList = await call(s.base, 'GET', `/wilayah/pilkada/pkwkp/62/6205/${tps.slice(0, 6)}/${desa}.json`);
    expect(tpsList.body[0]).toEqual({ nama: 'TPS 001', id: Number(tps), kode: tps, tingkat: 5 });
  });

  it('refuses unknown regions, contests and elections in public paths', async () => {
    expect((await call(s.base, 'GET', '/wilayah/pilkada/pkwkp/63.json')).body.code).toBe('UNKNOWN_REGION');
    expect((await call(s.base, 'GET', '/wilayah/pilkada/pkwkp/62/6305.json')).body.code).toBe('UNKNOWN_REGION');
    expect((await call(s.base, 'GET', '/wilayah/pilkada/ppwp/0.json')).body.code).toBe('UNKNOWN_CONTEST');
    expect((await call(s.base, 'GET', '/wilayah/pemilu/ppwp/0.json')).status).toBe(404);
    expect((await call(s.base, 'GET', '/pilkada/hhcw/pkwkp/34.json')).body.code).toBe('CONTEST_NOT_HELD');
    expect((await call(s.base, 'GET', '/api/v1/progress?region=6299')).body.code).toBe('UNKNOWN_REGION');
    expect((await call(s.base, 'GET', '/api/v1/progress?region=62x')).body.code).toBe('INVALID_QUERY');
    expect((await call(s.base, 'GET', '/nowhere')).body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
  });

  it('shows a TPS result as null before its upload and filled after', async () => {
    const before = await call(s.base, 'GET', `/pilkada/hhcw/pkwkp/${tpsPath}.json`);
    expect(before.status).toBe(200);
    expect(before.body).toEqual({
      tungsura: { chart: null, administrasi: null }, images: [], psu: null, ts: null, status_suara: null, status_adm: null,
    });
    const token = await login(s.base, tps);
    const form = formFor(tps, 'pkwkp');
    expect((await upload(s.base, token, tps, 'pkwkp', multipart(form))).status).toBe(201);
    const after = await call(s.base, 'GET', `/pilkada/hhcw/pkwkp/${tpsPath}.json`);
    expect(after.body.tungsura).toEqual({ chart: form.chart, administrasi: form.administrasi });
    expect(after.body.images).toHaveLength(1);
    expect(after.body.images[0]).toMatch(new RegExp(`^${tps}-\\d{8}-\\d{6}--[0-9a-f-]{36}\\.jpg$`));
    expect(after.body).toMatchObject({ psu: 'Reguler', status_suara: true, status_adm: true });
    expect(after.body.ts).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  });

  it('sums votes and counts progress at Barito Utara and in its kecamatan', async () => {
    const codes = [tpsIn('6205', 1), tpsIn('6205', 2)];
    for (const c of codes) {
      const token = await login(s.base, c);
      expect((await upload(s.base, token, c, 'pkwkp', multipart(formFor(c, 'pkwkp')))).status).toBe(201);
      expect((await upload(s.base, token, c, 'pkwkk', multipart(formFor(c, 'pkwkk')))).status).toBe(201);
    }
    const all = [tps, ...codes];
    const agg = await call(s.base, 'GET', '/pilkada/hhcw/pkwkp/62/6205.json');
    expect(agg.body.progres).toEqual({ total: 270, progres: 3, persen: Math.round((3 / 270) * 10000) / 100 });
    expect(agg.body.mode).toBe('hhcw');
    const ids = Object.keys(formFor(tps, 'pkwkp').chart);
    expect(ids).toHaveLength(4); // four governor pairs in Kalimantan Tengah
    for (const id of ids) {
      expect(agg.body.chart[id]).toBe(all.reduce((sum, c) => sum + formFor(c, 'pkwkp').chart[id], 0));
    }
    expect(agg.body.chart.persen).toBe(agg.body.progres.persen);
    const kec = tps.slice(0, 6);
    expect(agg.body.table[kec]).toMatchObject({ psu: null, status_progress: true });
    expect(Object.keys(agg.body.table)).toHaveLength(9);
    const national = await call(s.base, 'GET', '/pilkada/hhcw/pkwkp.json');
    expect(national.body.progres.progres).toBe(3);

    const p = await call(s.base, 'GET', '/api/v1/progress?region=6205');
    expect(p.body).toMatchObject({ code: '6205', name: 'Barito Utara', tps_total: 270, tps_complete: 2 });
    expect(p.body.contests).toEqual({ pkwkp: { tps_total: 270, tps_uploaded: 3 }, pkwkk: { tps_total: 270, tps_uploaded: 2 } });
    expect(p.body.children).toHaveLength(9);
    expect(p.body.children.reduce((n: number, c: { tps_total: number }) => n + c.tps_total, 0)).toBe(270);
    const desa = await call(s.base, 'GET', `/api/v1/progress?region=${tps.slice(0, 10)}`);
    expect(desa.body.children[0]).toMatchObject({ code: tps, tps_total: 1 });
  });

  it('counts Jakarta TPS complete after the governor form alone', async () => {
    const j = tpsIn('3101');
    const token = await login(s.base, j);
    expect((await upload(s.base, token, j, 'pkwkp', multipart(formFor(j, 'pkwkp')))).status).toBe(201);
    const p = await call(s.base, 'GET', '/api/v1/progress?region=31');
    expect(p.body.tps_complete).toBe(1);
    expect(p.body.contests.pkwkk).toEqual({ tps_total: 0, tps_uploaded: 0 });
    const nat = await call(s.base, 'GET', '/api/v1/progress');
    expect(nat.body.tps_total).toBe(hierarchy.totalTps);
    expect(nat.body.children.map((c: { code: string }) => c.code)).toEqual(['31', '34', '62']);
  });

  it('exposes request, upload, flag and batch counters in /metrics', async () => {
    const m = await call(s.base, 'GET', '/metrics');
    expect(m.status).toBe(200);
    expect(m.headers['content-type']).toMatch(/text\/plain/);
    expect(m.body).toMatch(/ujibeban_http_requests_total\{method="PUT",route="\/api\/v1\/tps\/:tps\/c1\/:contest",status="201"\} \d+/);
    expect(m.body).toMatch(/ujibeban_uploads_accepted_total\{contest="pkwkp",outcome="new"\} 4/);
    expect(m.body).toMatch(/ujibeban_http_request_duration_seconds_bucket/);
    expect(m.body).toMatch(/ujibeban_commit_batch_size_sum \d+/);
    expect(m.body).toMatch(/ujibeban_http_in_flight \d+/);
  });
});
