import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formFor, login, pinOf, multipart, removeDir, startServer, tempDir, tpsIn, upload, call, PAGE, type TestServer } from './helpers.js';
import { createHash } from 'node:crypto';
import { makeJpeg } from '../../src/domain/index.js';

// Group commits on the event loop (the default) and on the writer thread: the same answers.
describe.each([['commits on the event loop', false], ['commits on the writer thread', true]])('C1 upload from a Barito Utara TPS (%s)', (_mode, commitThread) => {
  let s: TestServer;
  const tps = tpsIn('6205');
  beforeAll(async () => {
    s = await startServer({ commitThread });
  });
  afterAll(async () => {
    await s.close();
    removeDir(s.dir);
  });

  it('logs an officer in with the PIN derived from the TPS code', async () => {
    const r = await call(s.base, 'POST', '/api/v1/auth/login', { json: { tps, pin: pinOf(tps) } });
    expect(r.status).toBe(200);
    expect(r.body.token).toMatch(/^v1\.\d{13}\.\d+\./);
    expect(r.body.expires_in).toBeGreaterThan(0);
  });

  it('accepts the governor form (201) and answers an identical re-upload with 200 and the same receipt', async () => {
    const token = await login(s.base, tps);
    const form = formFor(tps, 'pkwkp');
    const first = await upload(s.base, token, tps, 'pkwkp', multipart(form));
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ version: 1, status_suara: true, status_adm: true, flags: [] });
    expect(first.body.receipt).toMatch(/^[0-9a-f-]{36}$/);
    const again = await upload(s.base, token, tps, 'pkwkp', multipart({ ...form, client: { attempt: 2 } }));
    expect(again.status).toBe(200);
    expect(again.body.receipt).toBe(first.body.receipt);
    expect(again.body.version).toBe(1);
    expect(s.rows()).toBe(1);
  });

  it('stores a corrected bupati form as version 2 (201) with a new receipt', async () => {
    const token = await login(s.base, tps);
    const v1 = await upload(s.base, token, tps, 'pkwkk', multipart(formFor(tps, 'pkwkk')));
    const v2 = await upload(s.base, token, tps, 'pkwkk', multipart(formFor(tps, 'pkwkk', 1)));
    expect(v1.status).toBe(201);
    expect(v2.status).toBe(201);
    expect(v2.body.version).toBe(2);
    expect(v2.body.receipt).not.toBe(v1.body.receipt);
  });

  it('treats a different photo of the same tally as a correction', async () => {
    const other = tpsIn('6205', 1);
    const token = await login(s.base, other);
    const form = formFor(other, 'pkwkp');
    expect((await upload(s.base, token, other, 'pkwkp', multipart(form, [PAGE]))).status).toBe(201);
    const r = await upload(s.base, token, other, 'pkwkp', multipart(form, [makeJpeg(30_000, 9)]));
    expect(r.status).toBe(201);
    expect(r.body.version).toBe(2);
  });

  it('flags an OCR misread (41 read as 91) without refusing it', async () => {
    const other = tpsIn('6205', 2);
    const token = await login(s.base, other);
    const form = formFor(other, 'pkwkp');
    const id = Object.keys(form.chart)[0];
    form.chart[id] += 50;
    const r = await upload(s.base, token, other, 'pkwkp', multipart(form));
    expect(r.status).toBe(201);
    expect(r.body.status_suara).toBe(false);
    expect(r.body.flags).toContain('CHART_SUM_NE_SUARA_SAH');
  });

  it('accepts three pages and concurrent uploads from many TPS in one group commit', async () => {
    const codes = Array.from({ length: 20 }, (_, i) => tpsIn('6205', 10 + i));
    const results = await Promise.all(codes.map(async (code) => {
      const token = await login(s.base, code);
      return upload(s.base, token, code, 'pkwkk', multipart(formFor(code, 'pkwkk'), [PAGE, PAGE, PAGE]));
    }));
    expect(results.map((r) => r.status)).toEqual(codes.map(() => 201));
    const metrics = await call(s.base, 'GET', '/metrics');
    expect(metrics.body).toMatch(/ujibeban_commit_batch_size_count \d+/);
  });
});

describe('page hashes', () => {
  // Hashed on the event loop or on the hashing thread (0: every body): the same sha256 and size stored.
  it.each([['inline', null], ['on the hashing thread', 0]])('stores the sha256 and size of every page (%s)', async (_mode, hashThreadAbove) => {
    const s = await startServer({ hashThreadAbove });
    try {
      const tps = tpsIn('6205', 40);
      const pages = [makeJpeg(20_000, 1), makeJpeg(150_000, 2), makeJpeg(600_000, 3)];
      const r = await upload(s.base, await login(s.base, tps), tps, 'pkwkp', multipart(formFor(tps, 'pkwkp'), pages));
      expect(r.status).toBe(201);
      const row = s.app.store.db.prepare('SELECT photos FROM uploads WHERE tps = ?').get(tps) as { photos: string };
      expect(JSON.parse(row.photos)).toEqual(pages.map((p) => ({ sha256: createHash('sha256').update(p).digest('hex'), bytes: p.length })));
    } finally {
      await s.close();
      removeDir(s.dir);
    }
  });
});

describe('persistence', () => {
  it.each([['on the event loop', false], ['on the writer thread', true]])('keeps Barito Utara uploads and their receipts across a restart on the same file (commits %s)', async (_mode, commitThread) => {
    const dir = tempDir();
    const tps = tpsIn('6205', 5);
    const a = await startServer({ commitThread }, dir);
    const token = await login(a.base, tps);
    const first = await upload(a.base, token, tps, 'pkwkp', multipart(formFor(tps, 'pkwkp')));
    expect(first.status).toBe(201);
    await a.close();

    const b = await startServer({}, dir);
    try {
      expect(b.rows()).toBe(1);
      const token2 = await login(b.base, tps);
      const again = await upload(b.base, token2, tps, 'pkwkp', multipart(formFor(tps, 'pkwkp')));
      expect(again.status).toBe(200);
      expect(again.body.receipt).toBe(first.body.receipt);
      const p = await call(b.base, 'GET', '/api/v1/progress?region=6205');
      expect(p.body.contests.pkwkp.tps_uploaded).toBe(1);
    } finally {
      await b.close();
      removeDir(dir);
    }
  });

  it('refuses to reopen a file made for another seed', async () => {
    const dir = tempDir();
    const a = await startServer({}, dir);
    await a.close();
    await expect(startServer({ seed: 99 }, dir)).rejects.toThrow(/made for/);
    removeDir(dir);
  });
});
