/**
 * Region counters and tallies live in memory (server/store/counters.ts): moved only by batches
 * that committed, rebuilt from the current versions in uploads when the file is reopened.
 * Reopening must give the same counters and the same public answers, corrections included (a
 * replaced version's votes subtracted), and a batch that rolls back must count nothing.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { RegionCounterStore } from '../../server/store/counters.js';
import { openDb } from '../../server/store/db.js';
import { GroupCommitter } from '../../server/store/group-commit.js';
import { makeUploadApplier, type UploadOp } from '../../server/store/uploads.js';
import { call, formFor, login, multipart, removeDir, startServer, tempDir, tpsIn, upload, WORLD } from './helpers.js';

const dir = tempDir();
afterAll(() => removeDir(dir));

const READS = [
  '/api/v1/progress', '/api/v1/progress?region=62', '/api/v1/progress?region=6205', '/api/v1/progress?region=31',
  '/pilkada/hhcw/pkwkp.json', '/pilkada/hhcw/pkwkp/62.json', '/pilkada/hhcw/pkwkp/62/6205.json', '/pilkada/hhcw/pkwkk/62/6205.json',
];

describe('region counters in memory', () => {
  it('are the same after a reopen, corrections included, and answer the same JSON', async () => {
    const db = join(dir, 'reopen.sqlite');
    const s1 = await startServer({ db }, dir);
    const tps = [tpsIn('6205', 0), tpsIn('6205', 1), tpsIn('6205', 40), tpsIn('3101', 0), tpsIn('3401', 3)];
    for (const t of tps) {
      const token = await login(s1.base, t);
      for (const contest of ['pkwkp', 'pkwkk'] as const) {
        if (t.startsWith('31') && contest === 'pkwkk') continue; // no bupati/walikota race in Jakarta
        if (t.startsWith('34') && contest === 'pkwkp') continue; // no governor race in DIY
        expect((await upload(s1.base, token, t, contest, multipart(formFor(t, contest)))).status).toBe(201);
      }
    }
    // Corrections: the replaced version's votes must leave the tallies.
    const fixed = tps[1];
    const token = await login(s1.base, fixed);
    const v2 = formFor(fixed, 'pkwkp', 1);
    v2.chart = Object.fromEntries(Object.keys(v2.chart).map((k, i) => [k, i === 0 ? v2.administrasi.suara_sah : 0]));
    expect((await upload(s1.base, token, fixed, 'pkwkp', multipart(v2))).status).toBe(201);
    const desa = s1.app.store.counters.region(fixed.slice(0, 10)).get('pkwkp')!;
    const others = tps.filter((t) => t !== fixed && t.slice(0, 10) === fixed.slice(0, 10));
    for (const [id, n] of Object.entries(v2.chart)) {
      const want = n + others.reduce((sum, t) => sum + formFor(t, 'pkwkp').chart[id], 0);
      if (want === 0) expect(desa.has(id)).toBe(false);
      else expect(desa.get(id)).toBe(want);
    }
    expect(s1.app.store.counters.region('').get('*')?.get('#complete')).toBe(5);

    const before = s1.app.store.counters.snapshot();
    const answers = await Promise.all(READS.map((p) => call(s1.base, 'GET', p)));
    await s1.close();

    const s2 = await startServer({ db }, dir);
    try {
      expect(s2.app.store.counters.snapshot()).toEqual(before);
      for (const [i, p] of READS.entries()) {
        const again = await call(s2.base, 'GET', p);
        expect(again.status, p).toBe(200);
        expect(again.body, p).toEqual(answers[i].body);
      }
    } finally {
      await s2.close();
    }
  });

  it('count nothing of a batch that rolled back', () => {
    const db = openDb(':memory:', { ...WORLD, regions: [...WORLD.regions] });
    const counters = new RegionCounterStore();
    const applier = makeUploadApplier(db);
    const committer = new GroupCommitter(db, (ops: UploadOp[]) => applier.apply(ops), {
      windowMs: 1, maxBatch: 16, enabled: true, afterCommit: () => counters.apply(applier.takeDeltas()),
    });
    const op = (t: string, client: unknown): UploadOp => {
      const f = formFor(t, 'pkwkp');
      return {
        tps: t, contest: 'pkwkp', contestsAtTps: 2, administrasi: f.administrasi, chart: f.chart, client,
        status_suara: true, status_adm: true, flags: [], photos: [], ts: 1,
      };
    };
    const good = committer.submit(op(tpsIn('6205', 0), { a: 1 }));
    const bad = committer.submit(op(tpsIn('6205', 1), { a: 1n })); // BigInt: JSON.stringify throws inside the transaction
    committer.flush();
    return Promise.allSettled([good, bad]).then((r) => {
      expect(r.map((x) => x.status)).toEqual(['rejected', 'rejected']);
      expect(counters.snapshot()).toEqual({});
      expect(db.prepare('SELECT count(*) FROM uploads').pluck().get()).toBe(0);
      expect(RegionCounterStore.rebuild(db, () => 2).snapshot()).toEqual({});
      db.close();
    });
  });

  it('open a file whose agg table still holds rows from before', () => {
    const file = join(dir, 'old.sqlite');
    const identity = { ...WORLD, regions: [...WORLD.regions] };
    const db = openDb(file, identity);
    db.prepare("INSERT INTO agg (region, contest, key, n) VALUES ('', 'pkwkp', '#tps', 9)").run();
    db.close();
    const again = openDb(file, identity);
    expect(RegionCounterStore.rebuild(again, () => 2).snapshot()).toEqual({});
    again.close();
  });
});
