/**
 * Memory of the recorder over a long run, in-memory intervals vs spilled to a file:
 *   node --expose-gc --import tsx bench/recorder-memory.ts [memory|spill] [intervals] [perSecond]
 * Drives a Recorder with synthetic samples (3 series, `perSecond` samples per 1 s interval,
 * lognormal-ish latencies with a tail, a few 503s) and prints one JSON line: heap and RSS
 * growth (after GC), the cost of closing an interval, the timeline's size, and the time and
 * peak RSS of writing result.json.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Recorder } from '../loadgen/record/recorder.js';
import { toResult, type ResultContext } from '../loadgen/record/result.js';
import { writeResultFile } from '../loadgen/record/result-file.js';
import { IntervalSpill } from '../loadgen/record/spill.js';
import type { HttpResult } from '../loadgen/http/types.js';
import { Hierarchy } from '../src/domain/index.js';
import { SERIES } from '../src/result/types.js';
import type { ConstantRateScenario } from '../src/scenario/types.js';
import type { Plan } from '../loadgen/plan/types.js';

const mode = process.argv[2] ?? 'spill';
const intervals = Number(process.argv[3] ?? 3600);
const perSecond = Number(process.argv[4] ?? 6000);
/** 'drop-timeline': empty the timeline every minute, to see how much of the growth is it. */
const dropTimeline = process.argv[5] === 'drop-timeline';
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const mb = (b: number): number => Math.round((b / 1048576) * 10) / 10;
const mem = (): { heap: number; rss: number } => { gc(); gc(); const m = process.memoryUsage(); return { heap: m.heapUsed, rss: m.rss }; };

const work = mkdtempSync(join(tmpdir(), 'ujibeban-measure-'));
const spill = mode === 'spill' ? new IntervalSpill(work) : null;
const rec = new Recorder({ originUs: 0, intervalS: 1, simAt: () => null, checkpoints: [], provinceCount: 1, deferEncoding: true, spill });

let seed = 7;
const rnd = (): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
const gauss = (): number => { let s = 0; for (let i = 0; i < 4; i++) s += rnd(); return (s - 2) * 1.7; };
const res: HttpResult = { status: 200, code: '', retryAfterS: -1, body: null, writeUs: 0, endUs: 0 };

const closeMs: number[] = [];
// Each deferred finalization step (one histogram's percentiles+encoding, or the spill's
// append), timed: these run on the scheduler's event loop between arrivals.
const stepMs: number[] = [];
const spillPushMs: number[] = [];
const steps = (rec as unknown as { pendingSteps: Array<() => void> }).pendingSteps;
const push = steps.push.bind(steps);
steps.push = (...fs: Array<() => void>): number => push(...fs.map((f) => () => { const t = performance.now(); f(); stepMs.push(performance.now() - t); }));
if (spill) {
  const sp = spill.push.bind(spill);
  spill.push = (h) => { const t = performance.now(); sp(h); spillPushMs.push(performance.now() - t); };
}
let base = mem();
const curve: Array<{ interval: number; heap_mb: number; rss_mb: number }> = [];
const step = perSecond > 0 ? 1e6 / perSecond : 1e6;
for (let i = 0; i < intervals; i++) {
  for (let k = 0; k < perSecond; k++) {
    const intendedUs = i * 1e6 + k * step;
    res.writeUs = intendedUs + Math.max(1, Math.round(Math.exp(3 + gauss())));
    res.endUs = res.writeUs + Math.round(Math.exp(7.5 + gauss() * 0.6) * (rnd() < 0.001 ? 40 : 1));
    const failed = rnd() < 0.002;
    res.status = failed ? 503 : 200;
    res.code = failed ? 'OVERLOADED' : '';
    if (k === 0 && i > 0) {
      // This sample closes the previous interval: time the close (the part on the caller's turn).
      const t0 = performance.now();
      rec.request(SERIES[k % 3], res, intendedUs);
      closeMs.push(performance.now() - t0);
    } else {
      rec.request(SERIES[k % 3], res, intendedUs);
    }
  }
  // Let the deferred finalization steps (percentiles, encoding, the spill's append) run,
  // as the scheduler's event loop would between arrivals, and time them.
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, 0));
  if (dropTimeline && i % 60 === 59) rec.timeline.length = 0;
  if (i === 60) base = mem(); // after a minute: JIT and steady-state buffers are in
  if (i % 600 === 0 || i === intervals - 1) { const m = mem(); curve.push({ interval: i, heap_mb: mb(m.heap), rss_mb: mb(m.rss) }); }
}
rec.seal(intervals * 1e6 + 1);
const end = mem();

const timelineJson = JSON.stringify(rec.timeline);
const scenario: ConstantRateScenario = {
  name: 'measure', description: '', election: 'pilkada-2024', regions: ['6205'], scale: 1, seed: 1,
  officers: { pagesPerForm: 1, photoBytes: { fixed: 2000 }, misreadShare: 0, duplicateShare: 0, correctionShare: 0, attemptTimeoutMs: 5000,
    retry: { max: 0, baseMs: 10, capMs: 100, jitter: 'full', honourRetryAfter: true }, thinkMs: 0 },
  limits: { maxInFlight: 10_000, connections: 64 }, thresholds: [], intervalS: 1, executor: 'constant-rate', drainS: 5,
  rate: perSecond, durationMs: intervals * 1000, request: 'read:progress',
};
const plan = {
  segment: { index: 1, count: 1 }, simOriginS: null, timeScale: 1, durationMs: intervals * 1000, officerCount: 0,
  officersByZone: { WIB: 0, WITA: 0, WIT: 0 }, checkpoints: [], arrivals: function* () { /* none */ }, simAt: () => null,
} as unknown as Plan;
const ctx: ResultContext = {
  scenario, scenarioFile: null, plan, hierarchy: new Hierarchy({ election: 'pilkada-2024', scale: 1, seed: 1, regions: ['6205'] }),
  provinceTotals: new Uint32Array(1), target: 'synthetic', embeddedServer: false, segment: null,
  startedAtMs: 0, endedAtMs: intervals * 1000, durationS: intervals, clockOffsetMs: 0, partial: false,
};
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 5);
const t0 = performance.now();
const result = toResult(rec, ctx);
const file = join(work, 'result.json');
await writeResultFile(file, result);
const writeMs = performance.now() - t0;
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);
const size = statSync(file).size;
rmSync(work, { recursive: true, force: true });

const stats = (xs: number[]): { n: number; mean: number; p50: number; p99: number; max: number } => {
  const sorted = [...xs].sort((a, b) => a - b);
  const r = (x: number): number => Math.round(x * 1000) / 1000;
  const q = (p: number): number => r(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0);
  return { n: xs.length, mean: r(xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)), p50: q(0.5), p99: q(0.99), max: q(1) };
};
process.stdout.write(`${JSON.stringify({
  mode, intervals, per_second: perSecond, drop_timeline: dropTimeline,
  growth_after_first_minute: { heap_mb: mb(end.heap - base.heap), rss_mb: mb(end.rss - base.rss) },
  per_hour_heap_mb: mb(((end.heap - base.heap) * 3600) / Math.max(1, intervals - 60)),
  curve,
  close_sync_ms: stats(closeMs),
  finalize_step_ms: stats(stepMs),
  finalize_per_interval_ms: Math.round((stepMs.reduce((a, b) => a + b, 0) / intervals) * 1000) / 1000,
  spill_push_ms: spill ? stats(spillPushMs) : null,
  timeline: { entries: rec.timeline.length, json_mb: mb(timelineJson.length), json_bytes_per_entry: Math.round(timelineJson.length / rec.timeline.length) },
  result_json: { mb: mb(size), write_ms: Math.round(writeMs), peak_rss_mb: mb(peakRss), rss_before_write_mb: mb(end.rss) },
})}\n`);
