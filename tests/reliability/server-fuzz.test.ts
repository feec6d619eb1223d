/**
 * Fuzzing the login and upload routes (the fast subset of scripts/fuzz-server.ts, fixed seed):
 * property-based and mutation cases for multipart framing, headers, the `data` JSON, URL codes
 * and tokens, sent as raw HTTP to a real server on a real SQLite file. Every case must end in a
 * 4xx with a stable code and nothing stored, or a correct success; never a 5xx, a crash, a
 * connection closed without an answer, or a hang.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DbReader, httpRequest, rawHttp } from './server-helpers.js';
import { signToken } from '../../server/auth/token.js';
import { fuzzCase, judge, type Family, type FuzzTarget } from './server-fuzz-cases.js';
import { PAGE, WORLD, formFor, hierarchy, rawMultipart, removeDir, startServer, tpsIn, type TestServer } from '../server/helpers.js';

export const FUZZ_SEED = 20241127;

export function fuzzTarget(): FuzzTarget {
  const tps = [tpsIn('6205', 5), tpsIn('6205', 6), tpsIn('3101', 1), tpsIn('3401', 1)];
  return {
    targets: tps.map((t) => ({ tps: t, contests: hierarchy.contestsAt(t) })),
    tokenSecret: 'test-token-secret', seed: WORLD.seed,
  };
}

describe('fuzzing login and upload (fixed seed)', () => {
  let s: TestServer;
  let db: DbReader;
  let port: number;
  beforeAll(async () => {
    s = await startServer({ timeouts: { requestMs: 5000, headersMs: 3000, bodyIdleMs: 2000 } });
    port = Number(new URL(s.base).port);
    db = new DbReader(s.db);
  });
  afterAll(async () => {
    db.close();
    await s.close();
    removeDir(s.dir);
  });

  it('answers every case with a stable 4xx and nothing stored, or a correct success', async () => {
    const tally = new Map<string, number>();
    const families = new Map<Family, number>();
    await fc.assert(
      fc.asyncProperty(fuzzCase(fuzzTarget()), async (c) => {
        const o = await judge(port, db, c, 8000);
        tally.set(o.key, (tally.get(o.key) ?? 0) + 1);
        families.set(c.family, (families.get(c.family) ?? 0) + 1);
        if (o.problem) throw new Error(`${c.label}: ${o.problem}`);
      }),
      { seed: FUZZ_SEED, numRuns: 600, endOnFailure: true },
    );
    const counts = [...tally.entries()].sort((a, b) => b[1] - a[1]);
    console.log(`fuzz: ${[...families].map(([f, n]) => `${f} ${n}`).join(', ')}\n${counts.map(([k, n]) => `  ${k}: ${n}`).join('\n')}`);
    // The mix reaches past the cheap checks: successes, and refusals from every layer.
    const keys = [...tally.keys()].join(' ');
    expect(keys).toMatch(/20[01]/);
    for (const code of ['INVALID_FORM', 'MALFORMED_MULTIPART', 'INVALID_TOKEN', 'INVALID_BODY']) expect(keys).toContain(code);
    // The server is still healthy and serving.
    expect((await fetch(`${s.base}/healthz`)).status).toBe(200);
  }, 60_000);

  it('refuses deeply nested client metadata (422, found by the fuzzer: it crashed the server) and keeps serving', async () => {
    const tps = tpsIn('6205', 7);
    const token = signToken('test-token-secret', tps, Math.floor(Date.now() / 1000) + 600);
    const form = formFor(tps, 'pkwkp');
    const before = db.counts();
    for (const client of ['{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000), JSON.stringify({ list: [[[1]]] }), JSON.stringify(Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i])))]) {
      const data = JSON.stringify({ ...form, client: '__C__' }).replace('"__C__"', client);
      const { body, contentType } = rawMultipart([{ name: 'data', body: data }, { name: 'page', body: PAGE, filename: 'p.jpg', type: 'image/jpeg' }]);
      const r = await rawHttp(port, httpRequest('PUT', `/api/v1/tps/${tps}/c1/pkwkp`, { authorization: `Bearer ${token}`, 'content-type': contentType }, body));
      expect(r.json).toMatchObject({ statusCode: 422, code: 'INVALID_FORM' });
    }
    expect(db.counts()).toEqual(before);
    // Ordinary metadata (the load generator's) still passes.
    const ok = JSON.stringify({ ...form, client: { app: 'ujibeban', kind: 'officer', attempt: 2, device: { os: 'android', v: 14 } } });
    const { body, contentType } = rawMultipart([{ name: 'data', body: ok }, { name: 'page', body: PAGE, filename: 'p.jpg', type: 'image/jpeg' }]);
    const r = await rawHttp(port, httpRequest('PUT', `/api/v1/tps/${tps}/c1/pkwkp`, { authorization: `Bearer ${token}`, 'content-type': contentType }, body));
    expect(r.status).toBe(201);
  });
});
