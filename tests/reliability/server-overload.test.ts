/**
 * Overload and slow clients:
 * - ten times the mock's upload capacity (--max-in-flight) at once, bodies streamed over about
 *   a second each, against the mock in its own process: the excess is answered 503 OVERLOADED
 *   with Retry-After, nothing else fails, the server's RSS stays bounded (sampled from /proc),
 *   and uploads succeed once the load falls;
 * - a slowloris (headers, then one byte a second), an upload that stops after its headers and
 *   one that never finishes its headers are cut by the timeouts (ServerOptions.timeouts) with a
 *   408 in the error shape; their upload slots are freed, the in-flight gauge returns to its
 *   idle value and nothing is stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signToken } from '../../server/auth/token.js';
import { Hierarchy, generateForm, makeJpeg } from '../../src/domain/index.js';
import { loadScenario } from '../../src/scenario/load.js';
import { sleep, startCliServer, type CliServer } from './loadgen-helpers.js';
import { DbReader, errorShapeProblem, httpRequest, rawHttp, rssBytes, type RawResponse } from './server-helpers.js';
import { PAGE, formFor, rawMultipart, removeDir, startServer, tpsIn, type TestServer } from '../server/helpers.js';

const TOKEN_SECRET = 'overload-token-secret';
const CAPACITY = 16;

let dir: string;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'ujibeban-overload-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

async function inFlightGauge(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('ujibeban_http_in_flight '));
  return Number(line?.split(' ')[1]);
}

describe('ten times the upload capacity', () => {
  let server: CliServer;
  afterAll(async () => { await server?.stop(); });

  it(`answers the excess over ${CAPACITY} in flight with 503 + Retry-After, keeps RSS bounded, and recovers`, async () => {
    server = await startCliServer(['--scenario', 'smoke', '--db', join(dir, 'overload.sqlite'), '--token-secret', TOKEN_SECRET,
      '--max-in-flight', String(CAPACITY), '--retry-after', '2']);
    const port = Number(new URL(server.url).port);
    const { scenario } = loadScenario('smoke');
    const h = new Hierarchy(scenario);
    const exp = Math.floor(Date.now() / 1000) + 3600;
    const page = makeJpeg(1_000_000, 9); // 1 MB photo per upload, sent in 20 pieces over ~2 s
    const requestFor = (i: number): Buffer[] => {
      const tps = h.tpsCode(i % h.totalTps);
      const contest = h.contestsAt(tps)[i % h.contestsAt(tps).length];
      const form = generateForm({ seed: scenario.seed, tpsCode: tps, contest, meanDpt: 400, maxVoters: 600 });
      const { body, contentType } = rawMultipart([{ name: 'data', body: JSON.stringify(form) }, { name: 'page', body: page, filename: 'p.jpg', type: 'image/jpeg' }]);
      // Keep-alive, as the load generator's undici pool: the server reads and drops the body of a
      // shed request. (With Connection: close it closes at once, and a client still sending may
      // see the reset before the 503: see the issue note.)
      const req = httpRequest('PUT', `/api/v1/tps/${tps}/c1/${contest}`, { authorization: `Bearer ${signToken(TOKEN_SECRET, tps, exp)}`, 'content-type': contentType, connection: 'keep-alive' }, body);
      const pieces: Buffer[] = [];
      const step = Math.ceil(req.length / 20);
      for (let o = 0; o < req.length; o += step) pieces.push(req.subarray(o, o + step));
      return pieces;
    };

    await sleep(500);
    const baseline = await rssBytes(server.pid);
    let peak = baseline;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, await rssBytes(server.pid));
        await sleep(25);
      }
    })();
    const n = CAPACITY * 10;
    const t0 = Date.now();
    const answers: RawResponse[] = await Promise.all(Array.from({ length: n }, (_, i) => rawHttp(port, requestFor(i), { timeoutMs: 30_000, gapMs: 100 })));
    const ms = Date.now() - t0;
    await sleep(300);
    sampling = false;
    await sampler;

    const by = new Map<string, number>();
    for (const a of answers) {
      const k = a.status === 0 ? `no answer (${a.end})` : `${a.status}${a.json?.code ? ` ${a.json.code}` : ''}`;
      by.set(k, (by.get(k) ?? 0) + 1);
    }
    const mb = (b: number): string => (b / 1048576).toFixed(0);
    console.log(`overload: ${n} concurrent 1 MB uploads against capacity ${CAPACITY} in ${ms} ms: ${JSON.stringify(Object.fromEntries(by))}; ` +
      `server RSS baseline ${mb(baseline)} MB, peak ${mb(peak)} MB (+${mb(peak - baseline)} MB)`);

    const ok = answers.filter((a) => a.status === 201 || a.status === 200);
    const shed = answers.filter((a) => a.status === 503);
    expect(ok.length + shed.length, JSON.stringify(Object.fromEntries(by))).toBe(n);
    expect(ok.length).toBeGreaterThanOrEqual(CAPACITY);
    expect(shed.length).toBeGreaterThan(n / 4); // most of them on a quiet machine; slots free as uploads finish
    for (const a of shed) {
      expect(errorShapeProblem(503, a.json)).toBeNull();
      expect(a.json.code).toBe('OVERLOADED');
      expect(a.headers['retry-after']).toBe('2');
    }
    // Memory bounded: the excess is refused before its body is read; admitted pages are hashed as they stream.
    expect(peak - baseline).toBeLessThan(150 * 1048576);

    // Load falls: nothing left in flight, and uploads go through again.
    expect(await inFlightGauge(server.url)).toBe(1); // the /metrics request itself
    for (let i = 0; i < CAPACITY; i++) {
      const r = await rawHttp(port, Buffer.concat(requestFor(n + i)), { timeoutMs: 10_000 });
      expect([200, 201]).toContain(r.status);
    }
  }, 90_000);
});

describe('slow and stalled uploads', () => {
  let s: TestServer;
  let port: number;
  let db: DbReader;
  beforeAll(async () => {
    s = await startServer({
      timeouts: { requestMs: 4000, headersMs: 2000, bodyIdleMs: 1500, checkIntervalMs: 250 },
      faults: { maxInFlightUploads: 2 },
    });
    port = Number(new URL(s.base).port);
    db = new DbReader(s.db);
  });
  afterAll(async () => {
    db.close();
    await s.close();
    removeDir(s.dir);
  });

  const uploadBytes = (n: number): { req: Buffer; headEnd: number } => {
    const tps = tpsIn('6205', n);
    const { body, contentType } = rawMultipart([{ name: 'data', body: JSON.stringify(formFor(tps, 'pkwkp')) }, { name: 'page', body: PAGE, filename: 'p.jpg', type: 'image/jpeg' }]);
    const req = httpRequest('PUT', `/api/v1/tps/${tps}/c1/pkwkp`, { authorization: `Bearer ${signToken('test-token-secret', tps, Math.floor(Date.now() / 1000) + 600)}`, 'content-type': contentType }, body);
    return { req, headEnd: req.indexOf('\r\n\r\n') + 4 };
  };

  it('cuts a slowloris, a stalled body and unfinished headers with 408, frees their slots, stores nothing', async () => {
    const before = db.counts();
    const a = uploadBytes(10);
    const b = uploadBytes(11);
    // A slowloris: headers, then one byte a second (30 pieces: it would take 30 s).
    const slowloris = rawHttp(port, [a.req.subarray(0, a.headEnd), ...Array.from({ length: 30 }, (_, i) => a.req.subarray(a.headEnd + i, a.headEnd + i + 1))], { timeoutMs: 20_000, gapMs: 1000 });
    // Headers and a few bytes, then nothing.
    const stalled = rawHttp(port, [b.req.subarray(0, b.headEnd + 10)], { timeoutMs: 20_000 });
    // Headers that never end.
    const headers = rawHttp(port, [b.req.subarray(0, 60)], { timeoutMs: 20_000 });
    await sleep(500);
    // Both upload slots are held: a third upload is shed.
    expect(s.app.faults.inFlight.upload).toBe(2);
    const third = await rawHttp(port, uploadBytes(12).req, { timeoutMs: 5000 });
    expect(third.status).toBe(503);

    const [sl, st, hd] = await Promise.all([slowloris, stalled, headers]);
    console.log(`slow clients: slowloris cut after ${sl.ms} ms (${sl.status} ${sl.json?.code}), stalled body after ${st.ms} ms (${st.status} ${st.json?.code}), ` +
      `unfinished headers after ${hd.ms} ms (${hd.status} ${hd.json?.code})`);
    expect(sl).toMatchObject({ status: 408, json: { code: 'REQUEST_TIMEOUT' } });
    expect(sl.ms).toBeGreaterThan(3500);
    expect(sl.ms).toBeLessThan(6000);
    expect(st).toMatchObject({ status: 408, json: { code: 'BODY_TIMEOUT' } });
    expect(st.ms).toBeGreaterThan(1400);
    expect(st.ms).toBeLessThan(3000);
    expect(st.headers.connection).toBe('close');
    expect(hd).toMatchObject({ status: 408, json: { code: 'REQUEST_TIMEOUT' } });
    expect(hd.ms).toBeLessThan(4000);
    for (const r of [sl, st, hd]) expect(errorShapeProblem(408, r.json)).toBeNull();

    // Nothing held, nothing stored, and the slots serve again.
    await sleep(100);
    expect(s.app.faults.inFlight.upload).toBe(0);
    expect(await inFlightGauge(s.base)).toBe(1);
    expect(db.counts()).toEqual(before);
    const r = await rawHttp(port, uploadBytes(13).req, { timeoutMs: 5000 });
    expect(r.status).toBe(201);
  }, 30_000);
});
