/**
 * Interval histograms spilled to a temporary file during a run: result.json written from the
 * spill is the same text as from an in-memory recorder, the file is gone after the write (or
 * a discard), and an interrupted run's partial result keeps its intervals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { Recorder } from '../../loadgen/record/recorder.js';
import { toResult, type ResultContext } from '../../loadgen/record/result.js';
import {
  discardSpill, materializeIntervals, resultJson, spillOf, writeResultFile,
} from '../../loadgen/record/result-file.js';
import { IntervalSpill } from '../../loadgen/record/spill.js';
import { runLoad } from '../../loadgen/run.js';
import type { HttpResult } from '../../loadgen/http/types.js';
import { SERIES } from '../../src/result/types.js';
import { validateResult } from '../../src/report/load.js';
import type { ResultV1 } from '../../src/result/types.js';
import { baritoUtara, constantPlan, constantRateScenario, urlOf } from './helpers.js';

let dir: string;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'ujibeban-spill-test-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

/** The same synthetic run into `rec`: three series, `intervals` 1 s intervals, some empty. */
async function drive(rec: Recorder, intervals: number, yieldEvery = 0): Promise<void> {
  let x = 12345;
  const rnd = (): number => { x = (x * 1103515245 + 12345) % 2147483648; return x / 2147483648; };
  for (let i = 0; i < intervals; i++) {
    if (i % 7 === 3) continue; // an interval with no samples
    for (let k = 0; k < 40; k++) {
      const intendedUs = i * 1e6 + k * 20_000;
      const writeUs = intendedUs + Math.round(rnd() * 3000);
      const endUs = writeUs + Math.round(rnd() * rnd() * 400_000) + 100;
      const status = rnd() < 0.05 ? 503 : 200;
      const res: HttpResult = { status, code: status === 503 ? 'OVERLOADED' : '', retryAfterS: -1, body: null, writeUs: k % 5 === 0 ? 0 : writeUs, endUs };
      rec.arrivalOffered(intendedUs);
      rec.request(SERIES[(i + k) % (i % 11 === 0 ? 1 : 3)], res, intendedUs);
    }
    if (yieldEvery > 0 && i % yieldEvery === 0) await new Promise((r) => setImmediate(r));
  }
  rec.seal(intervals * 1e6 + 500_000);
}

function ctx(partial = false): ResultContext {
  const scenario = constantRateScenario({ rate: 40, durationMs: 1000, request: 'read:progress' });
  return {
    scenario, scenarioFile: null, plan: constantPlan(40, 1000, 'read:progress'), hierarchy: baritoUtara(),
    provinceTotals: new Uint32Array(1), target: 'http://127.0.0.1:1', embeddedServer: false, segment: null,
    startedAtMs: 1_700_000_000_000, endedAtMs: 1_700_000_600_000, durationS: 600, clockOffsetMs: 0, partial,
  };
}

const opts = { originUs: 0, intervalS: 1, simAt: () => null, checkpoints: [], provinceCount: 1 };

describe('interval histograms spilled to a temporary file', () => {
  it('writes result.json byte for byte as the in-memory recorder would, then removes the spill', async () => {
    const n = 600;
    const mem = new Recorder(opts);
    await drive(mem, n);
    const spill = new IntervalSpill(dir);
    const rec = new Recorder({ ...opts, deferEncoding: true, spill });
    await drive(rec, n, 13);
    expect(rec.intervalHistograms).toHaveLength(0);
    expect(spill.length).toBe(n + 1);

    const c = ctx();
    const expected = toResult(mem, c);
    const got = toResult(rec, c);
    expect(spillOf(got)).toBe(spill);
    expect(got.histograms.intervals).toEqual([]);
    expect(existsSync(spill.path)).toBe(true);

    const file = join(dir, 'result.json');
    await writeResultFile(file, got);
    const text = await readFile(file, 'utf8');
    expect(text).toBe(resultJson(expected));
    expect(JSON.stringify(expected, null, 1)).toContain('"lag": "'); // histograms really are in there
    const parsed = JSON.parse(text) as ResultV1;
    validateResult(parsed, 'result.json');
    expect(parsed.histograms.intervals).toHaveLength(n + 1);
    expect(parsed.histograms.intervals).toEqual(mem.intervalHistograms);
    expect(existsSync(spill.dir)).toBe(false);
    expect(spillOf(got)).toBeNull();
  });

  it('writes an empty array when no interval was closed, as JSON.stringify would', async () => {
    const spill = new IntervalSpill(dir);
    const rec = new Recorder({ ...opts, spill });
    const mem = new Recorder(opts);
    const expected = toResult(mem, ctx());
    const got = toResult(rec, ctx());
    const file = join(dir, 'empty.json');
    await writeResultFile(file, got);
    expect(await readFile(file, 'utf8')).toBe(resultJson(expected));
    expect(existsSync(spill.dir)).toBe(false);
  });

  it('reads intervals back for in-process use (a worker posting its result), and discards', async () => {
    const mem = new Recorder(opts);
    await drive(mem, 50);
    const spill = new IntervalSpill(dir);
    const rec = new Recorder({ ...opts, deferEncoding: true, spill });
    await drive(rec, 50, 5);
    const got = await materializeIntervals(toResult(rec, ctx()));
    expect(got.histograms.intervals).toEqual(mem.intervalHistograms);
    expect(existsSync(spill.dir)).toBe(false);

    const other = new IntervalSpill(dir);
    const rec2 = new Recorder({ ...opts, spill: other });
    await drive(rec2, 5);
    await discardSpill(toResult(rec2, ctx()));
    expect(existsSync(other.dir)).toBe(false);
  });

  it('removes the spills of processes killed outright, not those of live ones', async () => {
    const parent = await mkdtemp(join(dir, 'stale-'));
    const gone = spawnSync(process.execPath, ['-e', '']).pid!;
    const stale = join(parent, `ujibeban-intervals-${gone}-abc123`);
    const live = join(parent, `ujibeban-intervals-${process.ppid}-def456`);
    for (const d of [stale, live]) { await mkdir(d); await writeFile(join(d, 'intervals.ndjson'), '{}\n'); }
    const spill = new IntervalSpill(parent);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(spill.dir).toContain(`ujibeban-intervals-${process.pid}-`);
    await spill.dispose();
  });

  it('holds only the write buffer in memory, not the intervals', async () => {
    const spill = new IntervalSpill(dir);
    const rec = new Recorder({ ...opts, deferEncoding: true, spill });
    await drive(rec, 200, 1);
    expect(rec.intervalHistograms).toHaveLength(0);
    expect(spill.pendingBytes).toBeLessThan(64 * 1024);
    await spill.dispose();
  });
});

describe('runLoad with spillIntervals', () => {
  let app: FastifyInstance;
  let reads = 0;
  let onRead: (n: number) => void = () => {};
  beforeAll(async () => {
    app = Fastify();
    app.get('/api/v1/progress', async () => { onRead(++reads); return {}; });
    await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => { await app.close(); });

  it('an interrupted run writes a partial result with every interval, and the spill is removed', async () => {
    const ac = new AbortController();
    reads = 0;
    onRead = (n) => { if (n === 150) ac.abort(); };
    const result = await runLoad({
      scenario: constantRateScenario({ rate: 100, durationMs: 20_000, request: 'read:progress', drainS: 2 }),
      hierarchy: baritoUtara(), plan: constantPlan(100, 20_000, 'read:progress'), targetUrl: urlOf(app),
      signal: ac.signal, graceMs: 500, spillIntervals: dir,
    });
    onRead = () => {};
    expect(result.partial).toBe(true);
    const spill = spillOf(result)!;
    expect(spill).not.toBeNull();
    expect(spill.dir.startsWith(dir)).toBe(true);
    const file = join(dir, 'partial.json');
    await writeResultFile(file, result);
    const parsed = JSON.parse(await readFile(file, 'utf8')) as ResultV1;
    expect(parsed.partial).toBe(true);
    expect(parsed.timeline.length).toBeGreaterThanOrEqual(2);
    expect(parsed.histograms.intervals).toHaveLength(parsed.timeline.length);
    expect(parsed.histograms.intervals.some((h) => typeof h['read.latency'] === 'string')).toBe(true);
    expect(existsSync(spill.dir)).toBe(false);
  }, 30_000);
});
