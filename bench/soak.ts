/**
 * Soak: does anything drift over a long run? The mock server in its own process (file-backed
 * SQLite), the load generator (`ujibeban run`, constant rate, open model) in another, for N
 * minutes, at a rate chosen from an open-model step test. Reliability goal: both processes'
 * RSS and p99 flat (within 10%) first vs last 5 measured minutes (after a warm-up), 0 failed.
 *
 * Choosing the rate. `ujibeban probe` (autocannon, closed model: 8–64 connections, 5 s each)
 * gives a knee, but 60% of a closed-model knee is not 60% of what the pair sustains under an
 * open model (run 6: 13,459/s put the mock's core at 84%, 434 seconds with lag p99 > 50 ms).
 * So the knee only seeds a ladder: constant-rate `ujibeban run` steps of --step-seconds (20)
 * each at 40, 50, … 90% of it, each a fresh run against the same mock, rising until one fails;
 * if the lowest fails the rate is halved, and one step goes halfway between the last pass and
 * the first failure; all within ~3 minutes. A step gets one try: runs up to 11 ran a failed
 * step again and counted a passing retry, and in run 11 three steps passed only on their retry
 * (17,461/s after a first try with 15,082 dropped), so the soak ran at 10,477/s with the load
 * generator's lag p99 at 2–35 ms a minute; a rate that must hold for 35 minutes has to pass
 * 20 s at the first try. Each step records offered, sent/offered, dropped,
 * failed, schedule-lag p99, bad seconds, the mock's and the load generator's CPU share (CPU
 * seconds of the process / wall, /proc), both loops' delay and the canary, measured after a
 * 3 s warm-up. A step has no backlog when nothing is dropped or failed, ≥ 99.9% of the offered
 * is sent and lag p99 ≤ 10 ms (STEP_RULE in bench/lib/soak-analysis.ts); the open-model
 * capacity is the highest step below the first that fails, and the soak runs at --share (0.6,
 * the issue's "about 60% of the measured capacity") of it. On this 2-core VM (first step test,
 * machine shared) 11,171/s passed with the mock's core 49% busy (44 µs a request) and 13,405/s
 * failed with it 67% busy, not saturated, while the load generator's core spun at ~95% and its
 * schedule lag built up: the capacity an open-model client meets is the pair's, reached with the
 * mock's core only ~50–60% busy, so 60% of it leaves the mock ~30–40% busy (the printout
 * predicts it from the steps and measures it). --rate R skips probe and steps; --steps-only stops
 * after them.
 *
 * What is sampled. Every 5 s the RSS and CPU time of both processes (/proc) and the mock's own
 * latency histogram (its /metrics/latency, HDR at µs: time inside the server); after the run the load generator's
 * p99 per minute from result.json's per-interval HDR histograms (exact merges). The load
 * generator is started with a preload, bench/lib/loop-monitor.mjs (no product code changed),
 * that writes one JSON line a second: event-loop delay p50/p99/max, GC pauses (count, total,
 * max, by kind), CPU share, RSS and heap. The mock is not: it serves from a worker thread
 * (server/embedded.ts), and Node 20 runs --import preloads in the main thread only, which in
 * the mock is idle; its loop and GC columns stay empty (runs up to 10 had them). A canary
 * (bench/lib/canary.mjs) on each core times the same fixed work every 100 ms: when latency
 * rises together with the canary's time, the machine itself slowed down (on a VM, the host took the core), not the soaked processes.
 *
 * Attribution. A bad second is one whose schedule-lag p99 (result.json's per-second
 * timeline) is over 50 ms. For each, the soak lines up, by wall clock, that second's loop
 * monitor lines of both processes (ELD max, GC pause max and kind, CPU share), the canaries'
 * times per core and the mock's RSS, and names the signals that stand out (a stall or GC
 * pause covering half the lag, the mock's core saturated, a slow canary; "none" when the requests
 * waited outside both loops). The worst 40 are printed, every one goes to bad-seconds.json.
 *
 * Warm-up. The run offers the same rate for --warm-up-minutes (5) before the N measured
 * minutes; the windows compared are the first and last 5 of the measured minutes. Drift means
 * change in a steady state: in run 7 (no warm-up) the load generator's p99 was lowest in
 * minutes 1–5 (6.3–8.6 ms) while its heap grew 29.5 → 32 MB and its JIT settled, then flat
 * from minute 6 to 30 (slope −6%). A warm-up is what k6 and Gatling users do before measuring;
 * the warm-up minutes still count for failures and drops (0 failed over the whole run) and are
 * printed in the per-minute table, marked "w". --warm-up-minutes 0 gives run 7's rule.
 *
 * Output. A per-minute table (rate, drops, lag p99, both p99s, bad seconds, ELD p99/max and GC
 * max/total per process, canary, RSS), the first and last 5-minute windows, drift, and the
 * verdict: flat when both RSS and both p99 are within 10% first vs last window; it says which
 * windows hold bad seconds (an episode inside a window moves its p99). Written to
 * bench/results/soak.json (or --json PATH) and kept with the run's own output (result.json,
 * report, per-step runs, monitor-*.jsonl, canary.jsonl) in reports/soak-<time>/.
 *
 * With two or more cores and taskset, the mock is pinned to the last core and the probe, the
 * steps and the load generator to core 0 (as in bench/run.ts); --no-pin leaves placement to
 * the kernel. Loopback only; bounded: each step is killed at its length + 60 s, the soak run
 * at N + 3 min.
 *
 * Run: node --import tsx bench/soak.ts [--minutes 30] [--warm-up-minutes 5] [--rate R] [--share 0.6]
 *        [--step-seconds 20] [--steps-only] [--json PATH] [--loadgen-node-flags FLAGS] [--server-node-flags FLAGS]
 *        [--request read:progress|login|upload] [--no-pin]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { join, resolve } from 'node:path';
import { addInto, decodeHistogram, newHistogram, type Histogram } from '../src/result/hdr.js';
import type { ResultV1 } from '../src/result/types.js';
import { REPO, cpuSeconds, rssBytes, spawnCli, startCliServer } from './lib/cli-process.js';
import { machineInfo } from './lib/machine.js';
import { pinned, which } from './lib/peers.js';
import { fetchLatencySnapshot, quantileBetween } from './lib/server-latency.js';
import {
  STEP_RULE, badSeconds, cpuShare, episodes, flatVerdict, likelySignals, loopOver, openCapacity,
  overlapping, parseJsonLines, refineRate, stepLadder, stepVerdict, type CpuSample, type LoopWindow, type MonitorLine,
  type StepMeasure,
} from './lib/soak-analysis.js';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : def;
}

const minutes = Number(arg('minutes', '30'));
const warmMin = Number(arg('warm-up-minutes', '5'));
/** The run's whole length: warm-up, then the measured minutes. */
const totalMin = warmMin + minutes;
const share = Number(arg('share', '0.6'));
const request = arg('request', 'read:progress');
const givenRate = arg('rate', '');
const stepS = Number(arg('step-seconds', '20'));
const stepsOnly = process.argv.includes('--steps-only');
/**
 * Node flags of the load generator (steps and soak run); none by default, so the soak measures
 * the load generator as users run it. Tried in run 10: `--max-semi-space-size=4`, which caps
 * V8's young generation (left to itself V8 grew it 7 -> 13 MB between scavenges by minute 8 of a
 * 22-minute trace, and each scavenge pause grew with it, 0.7 -> 1.5 ms median). Capped, the
 * scavenges stayed at ~660 a minute, but their longest pause per second still rose (0.7 -> ~1.0
 * ms median) and the load generator's p99 still rose 43% first window to last: not the fix.
 */
const lgNodeFlags = arg('loadgen-node-flags', '').split(/\s+/).filter(Boolean);
const serverNodeFlags = arg('server-node-flags', '').split(/\s+/).filter(Boolean);
const jsonOut = resolve(arg('json', join(REPO, 'bench/results/soak.json')));
const SAMPLE_MS = 5000;
/** Seconds at the start of each step left out of its lag and CPU figures (JIT, connections). */
const STEP_WARM_S = 3;
/** The step test stops before a step that would end past this many seconds. */
const STEP_BUDGET_S = 180;
/** A second whose schedule-lag p99 is over this is a bad second. */
const BAD_LAG_MS = 50;
const pin = !process.argv.includes('--no-pin') && cpus().length >= 2 && which('taskset');
const LOADGEN_CORE = pin ? 0 : undefined;
const SERVER_CORE = pin ? cpus().length - 1 : undefined;
if (!(minutes >= 1 && minutes <= 240)) throw new Error('--minutes: expected 1..240');
if (!(Number.isInteger(warmMin) && warmMin >= 0 && warmMin <= 30)) throw new Error('--warm-up-minutes: expected a whole number 0..30');
if (!(share > 0 && share <= 1)) throw new Error('--share: expected (0, 1]');
if (!(stepS >= 8 && stepS <= 60)) throw new Error('--step-seconds: expected 8..60');
if (!['read:progress', 'login', 'upload'].includes(request)) throw new Error('--request: expected read:progress, login or upload');

const work = mkdtempSync(join(tmpdir(), 'ujibeban-soak-'));
// Kept after the soak (reports/ is out of git): the per-second timeline and monitor lines of
// a bad minute are what attribute it.
const outDir = join(REPO, 'reports', `soak-${new Date().toISOString().replace(/[:.]/g, '-')}`);
mkdirSync(outDir, { recursive: true });
const log = (s: string): void => { process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${s}\n`); };

function waitExit(child: ChildProcess, limitMs: number): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) { resolve(child.exitCode); return; }
    const t = setTimeout(() => { child.kill('SIGKILL'); }, limitMs);
    child.once('exit', (code) => { clearTimeout(t); resolve(code); });
  });
}

interface CanaryLine { core: number; at_ms: number; t_s: number; work_ms_mean: number; work_ms_max: number; wake_late_ms_max: number }

/** One canary per core (pinned when possible); their lines, stamped with the core and the wall clock on arrival, land in `into`. */
function startCanaries(into: CanaryLine[], maxS: number): ChildProcess[] {
  const file = join(REPO, 'bench/lib/canary.mjs');
  return Array.from({ length: Math.min(2, cpus().length) }, (_, core) => {
    const [cmd, ...rest] = pin ? pinned(core, [process.execPath, file, String(maxS)]) : [process.execPath, file, String(maxS)];
    const child = spawn(cmd, rest, { stdio: ['ignore', 'pipe', 'ignore'] });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try { into.push({ core, at_ms: Date.now(), ...(JSON.parse(line) as Omit<CanaryLine, 'core' | 'at_ms'>) }); } catch { /* not a canary line */ }
    });
    return child;
  });
}

interface Sample { at_ms: number; t_s: number; server_rss_mb: number; loadgen_rss_mb: number; server_cpu_s: number; loadgen_cpu_s: number }

const mb = (b: number): number => Math.round((b / 1048576) * 10) / 10;
const round = (x: number, d = 3): number => Math.round(x * 10 ** d) / 10 ** d;
const pct = (x: number | null, d = 0): string => (x === null || !Number.isFinite(x) ? '–' : `${(x * 100).toFixed(d)}%`);
const num = (x: number | null | undefined, d = 1): string => (x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(d));

/** Prints rows as a table with right-aligned columns. */
function table(head: string[], rows: string[][]): void {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string => r.map((c, i) => (c ?? '').padStart(w[i])).join('  ');
  process.stdout.write(`${line(head)}\n${rows.map(line).join('\n')}${rows.length ? '\n' : ''}`);
}

/**
 * CPU µs per completed request over a window of samples (requests spread evenly over the
 * window): rising means our code slows down; flat while latency rises means something else
 * took the cores.
 */
function perReq(rs: Sample[], requestsPerS: number, cpu: (s: Sample) => number): number {
  const spanS = rs.length < 2 ? 0 : rs.at(-1)!.t_s - rs[0].t_s;
  if (spanS <= 0 || requestsPerS <= 0) return 0;
  return round(((cpu(rs.at(-1)!) - cpu(rs[0])) * 1e6) / (requestsPerS * spanS), 1);
}

/** Merges every `<series>.latency` histogram of intervals [from, to). */
function latencyOver(r: ResultV1, from: number, to: number): Histogram {
  const h = newHistogram();
  for (let i = Math.max(0, from); i < Math.min(to, r.histograms.intervals.length); i++) {
    for (const [k, v] of Object.entries(r.histograms.intervals[i] ?? {})) {
      if (k.endsWith('.latency')) addInto(h, decodeHistogram(v));
    }
  }
  return h;
}

function countsOver(r: ResultV1, from: number, to: number): { requests: number; failed: number; offered: number; dropped: number; lagP99: number } {
  let requests = 0;
  let failed = 0;
  let offered = 0;
  let dropped = 0;
  const lag = newHistogram();
  for (let i = Math.max(0, from); i < Math.min(to, r.histograms.intervals.length); i++) {
    const v = r.histograms.intervals[i]?.lag;
    if (v) addInto(lag, decodeHistogram(v));
  }
  for (const it of r.timeline.slice(Math.max(0, from), to)) {
    offered += it.offered;
    dropped += it.dropped;
    for (const s of Object.values(it.series)) {
      requests += s?.requests ?? 0;
      failed += s?.failed ?? 0;
    }
  }
  return { requests, failed, offered, dropped, lagP99: lag.getValueAtPercentile(99) / 1000 };
}

/** Monitor lines of one process (the file may hold lines of other PIDs if it forked a node child). */
function readMonitor(file: string, pid: number): MonitorLine[] {
  if (!existsSync(file)) return [];
  return parseJsonLines<MonitorLine>(readFileSync(file, 'utf8')).filter((l) => l.pid === pid);
}

const runArgs = (url: string, out: string, rate: number, duration: string): string[] => [
  'run', 'constant-rate', '--target', url, '--out', out, '--no-progress',
  '--set', `rate=${rate}`, '--set', `duration="${duration}"`, '--set', `request="${request}"`,
  '--set', 'limits.maxInFlight=5000', '--set', 'limits.connections=64',
];

interface Step extends StepMeasure {
  duration_s: number;
  bad_seconds: number;
  requests_per_s: number;
  mock_cpu_share: number | null;
  loadgen_cpu_share: number | null;
  mock_cpu_us_per_req: number | null;
  loadgen_eld_p99_ms: number | null;
  loadgen_eld_max_ms: number | null;
  loadgen_gc_max_ms: number | null;
  mock_eld_max_ms: number | null;
  /** The canaries' slowest second in the step / their best so far (worst core; 1 = full speed). */
  canary_slowdown: number | null;
  exit_code: number | null;
  pass: boolean;
  why: string[];
}

/** One constant-rate step of `stepS` seconds against the mock; its output kept in `dir`. */
async function runStep(url: string, serverPid: number, rate: number, dir: string, mockMonitor: string, canary: CanaryLine[]): Promise<Step> {
  mkdirSync(dir, { recursive: true });
  const monitor = join(dir, 'monitor-loadgen.jsonl');
  const child = spawnCli(runArgs(url, dir, rate, `${stepS}s`), 'pipe', LOADGEN_CORE, { monitor, nodeFlags: lgNodeFlags });
  child.stdout!.resume();
  let err = '';
  child.stderr!.on('data', (d: Buffer) => { if (err.length < 4000) err += d.toString(); });
  const mockCpu: CpuSample[] = [];
  const lgCpu: CpuSample[] = [];
  const sampler = setInterval(() => {
    const at = Date.now();
    void Promise.all([cpuSeconds(serverPid), cpuSeconds(child.pid!)]).then(([s, l]) => {
      mockCpu.push({ at_ms: at, cpu_s: s });
      if (l > 0) lgCpu.push({ at_ms: at, cpu_s: l });
    });
  }, 1000);
  const code = await waitExit(child, (stepS + 60) * 1000);
  clearInterval(sampler);
  const file = join(dir, 'result.json');
  if (!existsSync(file)) throw new Error(`step at ${rate}/s wrote no result.json (exit ${code}): ${err.slice(0, 1000)}`);
  const r = JSON.parse(readFileSync(file, 'utf8')) as ResultV1;
  const origin = Date.parse(r.meta.started_at);
  const per = r.meta.interval_s;
  const from = Math.ceil(STEP_WARM_S / per);
  const to = Math.floor(stepS / per);
  const w = countsOver(r, from, to);
  const offered = r.timeline.reduce((a, it) => a + it.offered, 0);
  const sent = r.summary.requests.total;
  const fromMs = origin + STEP_WARM_S * 1000;
  const toMs = origin + stepS * 1000;
  const mockShare = cpuShare(mockCpu, fromMs, toMs);
  const lgShare = cpuShare(lgCpu, fromMs, toMs);
  const reqPerS = w.requests / ((to - from) * per);
  const lg = loopOver(readMonitor(monitor, child.pid!), fromMs, toMs);
  const mk = loopOver(readMonitor(mockMonitor, serverPid), fromMs, toMs);
  const best = canary.length ? Math.min(...canary.map((c) => c.work_ms_mean)) : 0;
  const cs = canary.filter((c) => c.at_ms > fromMs && c.at_ms - 1000 < toMs);
  const m: StepMeasure = {
    rate, offered, sent, dropped: r.summary.requests.dropped, failed: r.summary.requests.failed,
    achieved: offered > 0 ? sent / offered : 0, lag_p99_ms: round(w.lagP99),
  };
  const v = stepVerdict(m);
  return {
    ...m, achieved: round(m.achieved, 5), duration_s: stepS,
    bad_seconds: badSeconds(r.timeline.slice(0, to), BAD_LAG_MS).length,
    requests_per_s: round(reqPerS, 1),
    mock_cpu_share: mockShare === null ? null : round(mockShare),
    loadgen_cpu_share: lgShare === null ? null : round(lgShare),
    mock_cpu_us_per_req: mockShare === null || reqPerS <= 0 ? null : round((mockShare * 1e6) / reqPerS, 1),
    loadgen_eld_p99_ms: lg.eld_p99_ms, loadgen_eld_max_ms: lg.eld_max_ms, loadgen_gc_max_ms: lg.gc_max_ms,
    mock_eld_max_ms: mk.eld_max_ms,
    canary_slowdown: cs.length && best > 0 ? round(Math.max(...cs.map((c) => c.work_ms_mean)) / best, 2) : null,
    exit_code: code, pass: v.pass, why: v.why,
  };
}

const stepRow = (s: Step): string[] => [
  String(s.rate), pct(s.achieved, 2), String(s.dropped), String(s.failed), num(s.lag_p99_ms, 2), String(s.bad_seconds),
  pct(s.mock_cpu_share), num(s.mock_cpu_us_per_req), pct(s.loadgen_cpu_share), num(s.loadgen_eld_p99_ms), num(s.loadgen_eld_max_ms),
  num(s.loadgen_gc_max_ms), num(s.mock_eld_max_ms), num(s.canary_slowdown, 2),
  `${s.pass ? 'ok' : `FAIL: ${s.why.join(', ')}`}`,
];
const stepText = (s: Step): string => `${s.rate}/s sent ${pct(s.achieved, 2)}, dropped ${s.dropped}, lag p99 ${num(s.lag_p99_ms, 2)} ms, ` +
  `mock cpu ${pct(s.mock_cpu_share)} (${num(s.mock_cpu_us_per_req)} µs/req), load generator cpu ${pct(s.loadgen_cpu_share)}, canary ${num(s.canary_slowdown, 2)} → ${s.pass ? 'no backlog' : s.why.join(', ')}`;
const STEP_HEAD = ['rate/s', 'sent', 'drop', 'fail', 'lag p99', 'bad s', 'mock cpu', 'µs/req', 'lg cpu', 'lg ELD p99', 'lg ELD max', 'lg GC max', 'mock ELD max', 'canary', 'verdict'];

async function main(): Promise<void> {
  const mockMonitor = join(outDir, 'monitor-mock.jsonl');
  const server = await startCliServer(['--scenario', 'constant-rate', '--db', join(work, 'soak.sqlite')], SERVER_CORE, { nodeFlags: serverNodeFlags });
  log(`mock server ${server.url} (pid ${server.pid})${pin ? `, pinned to core ${SERVER_CORE}; probe, steps and load generator on core ${LOADGEN_CORE}` : ''}; kept output: ${outDir}`);
  const canary: CanaryLine[] = [];
  const canaries = startCanaries(canary, (totalMin + 10) * 60);
  let loadgenPid = 0;
  try {
    let rate: number;
    let probe: unknown = null;
    let knee: number | null = null;
    const steps: Step[] = [];
    let capacity: ReturnType<typeof openCapacity> | null = null;
    let predictedMockShare: number | null = null;
    if (givenRate !== '') {
      rate = Number(givenRate);
    } else {
      const out = join(work, 'probe.json');
      log(`closed-model knee: ujibeban probe --endpoint ${request} (8,16,32,64 connections, 5 s each)`);
      const p = spawnCli(['probe', '--target', server.url, '--endpoint', request, '--connections', '8,16,32,64', '--duration', '5s', '--out', out], 'inherit', LOADGEN_CORE);
      const code = await waitExit(p, 120_000);
      if (code !== 0) throw new Error(`probe exited with ${code}`);
      probe = JSON.parse(readFileSync(out, 'utf8'));
      const pr = probe as { knee: { rps: number } | null; steps: Array<{ rps: number }> };
      knee = Math.round(pr.knee?.rps ?? Math.max(...pr.steps.map((s) => s.rps)));
      const ladder = stepLadder(knee);
      log(`knee ~${knee}/s; open-model steps of ${stepS} s at ${ladder.join(', ')}/s until one has a backlog (dropped, failed, sent < ${STEP_RULE.minAchieved * 100}% or lag p99 > ${STEP_RULE.maxLagP99Ms} ms)`);
      const t0 = Date.now();
      let runs = 0;
      /** Whether one more step fits in the budget (a step costs its length plus the CLI's start and drain). */
      const fits = (): boolean => (Date.now() - t0) / 1000 + (runs ? (Date.now() - t0) / 1000 / runs : stepS + 8) <= STEP_BUDGET_S;
      /** One step, one try (see "Choosing the rate" above). */
      const step = async (r: number, name: string): Promise<Step> => {
        const s = await runStep(server.url, server.pid, r, join(outDir, 'steps', name), mockMonitor, canary);
        runs++;
        log(`step ${name}: ${stepText(s)}`);
        return s;
      };
      for (const [i, r] of ladder.entries()) {
        if (!fits()) { log(`step budget (${STEP_BUDGET_S} s) reached after ${runs} runs`); break; }
        const s = await step(r, `${i + 1}-${r}`);
        steps.push(s);
        if (!s.pass) break;
      }
      // The lowest step already had a backlog (a busy machine): halve the rate while that lasts.
      while (steps.length && openCapacity(steps).rate === null && fits()) {
        const low = Math.round(Math.min(...steps.map((x) => x.rate)) / 2);
        if (low < knee * 0.1) break;
        steps.push(await step(low, `${steps.length + 1}-${low}`));
      }
      // One more step halfway between the last pass and the first failure (the ladder's steps are 10% of the knee apart).
      const mid = refineRate(steps);
      if (mid !== null && fits()) steps.push(await step(mid, `${steps.length + 1}-${mid}`));
      steps.sort((a, b) => a.rate - b.rate);
      log(`step test took ${Math.round((Date.now() - t0) / 1000)} s`);
      table(STEP_HEAD, steps.map(stepRow));
      capacity = openCapacity(steps);
      // The mock's CPU per request at the measured step nearest the soak rate (it falls as the rate
      // rises: more requests per wake-up): its core's busy share at that rate.
      const nearest = (r: number): Step | undefined => steps.filter((s) => s.mock_cpu_us_per_req !== null).sort((a, b) => Math.abs(a.rate - r) - Math.abs(b.rate - r))[0];
      if (capacity.rate === null) {
        rate = Math.round(steps[0].rate * share);
        log(`WARNING: every step had a backlog, even ${steps[0].rate}/s (is the machine busy? see the canary column); soaking at ${share * 100}% of it, ${rate}/s`);
      } else {
        rate = Math.round(capacity.rate * share);
        const us = nearest(rate)?.mock_cpu_us_per_req ?? null;
        predictedMockShare = us === null ? null : round((rate * us) / 1e6);
        log(`open-model capacity ${capacity.bounded ? `${capacity.rate}/s (the step at ${capacity.firstFailure}/s had a backlog)` : `≥ ${capacity.rate}/s (every step passed)`}` +
          ` = ${round(capacity.rate / knee, 2)} × the closed-model knee; soak rate ${rate}/s (${share * 100}%)` +
          `${predictedMockShare === null ? '' : `, mock core ~${pct(predictedMockShare)} busy at ${us} µs/req`}`);
      }
    }
    if (!(rate > 0)) throw new Error(`bad rate ${rate}`);
    const stepsReport = {
      knee_closed_model_per_s: knee, step_seconds: stepS, warm_up_s: STEP_WARM_S, rule: STEP_RULE, steps,
      open_capacity_per_s: capacity?.rate ?? null, capacity_bounded_by_failure_at: capacity?.firstFailure ?? null,
      predicted_mock_cpu_share: predictedMockShare,
    };
    if (stepsOnly) {
      writeFileSync(join(outDir, 'steps.json'), `${JSON.stringify({ probe, ...stepsReport, rate_per_s: rate, share }, null, 1)}\n`);
      log(`--steps-only: would soak at ${rate}/s; wrote ${join(outDir, 'steps.json')}`);
      return;
    }

    const lgMonitor = join(outDir, 'monitor-loadgen.jsonl');
    const run = spawnCli(runArgs(server.url, outDir, rate, `${totalMin}m`), 'inherit', LOADGEN_CORE, { monitor: lgMonitor, nodeFlags: lgNodeFlags });
    loadgenPid = run.pid!;
    log(`ujibeban run constant-rate at ${rate}/s for ${totalMin} min (${warmMin} warm-up + ${minutes} measured; pid ${loadgenPid}; node flags: ${lgNodeFlags.join(' ') || 'none'})`);
    const runStart = Date.now();
    const samples: Sample[] = [];
    const serverLatency: Array<{ at_ms: number; t_s: number; hdr: string }> = [];
    const baseline = await fetchLatencySnapshot(server.url);
    if (baseline) serverLatency.push({ at_ms: Date.now(), t_s: 0, hdr: baseline });
    const sampler = setInterval(() => {
      const at = Date.now();
      void Promise.all([rssBytes(server.pid), rssBytes(loadgenPid), cpuSeconds(server.pid), cpuSeconds(loadgenPid)]).then(([s, l, sc, lc]) => {
        if (l === 0) return;
        samples.push({ at_ms: at, t_s: 0, server_rss_mb: mb(s), loadgen_rss_mb: mb(l), server_cpu_s: sc, loadgen_cpu_s: lc });
        if (samples.length % 12 === 0) log(`t=${Math.round((at - runStart) / 1000)}s rss server ${mb(s)} MB, loadgen ${mb(l)} MB`);
      });
      void fetchLatencySnapshot(server.url).then((hdr) => { if (hdr) serverLatency.push({ at_ms: at, t_s: 0, hdr }); });
    }, SAMPLE_MS);
    const code = await waitExit(run, (totalMin + 3) * 60_000);
    clearInterval(sampler);
    log(`run exited with ${code} after ${Math.round((Date.now() - runStart) / 1000)} s`);
    for (const c of canaries) c.kill('SIGTERM');

    const result = JSON.parse(readFileSync(join(outDir, 'result.json'), 'utf8')) as ResultV1;
    // Every clock below is the run's: seconds since its plan origin (result.json's t_s).
    const origin = Date.parse(result.meta.started_at);
    const rel = (atMs: number): number => round((atMs - origin) / 1000, 1);
    for (const s of samples) s.t_s = rel(s.at_ms);
    for (const b of serverLatency) b.t_s = rel(b.at_ms);
    const lgLines = readMonitor(lgMonitor, loadgenPid);
    const mockLines = readMonitor(mockMonitor, server.pid);
    writeFileSync(join(outDir, 'canary.jsonl'), canary.map((c) => JSON.stringify(c)).join('\n') + '\n');

    // The canary's best second: the machine's speed when nothing took the core.
    const canaryBest = canary.length ? Math.min(...canary.map((c) => c.work_ms_mean)) : 0;
    const canaryLines = canary.map((c) => ({ ...c, t_ms: c.at_ms, span_ms: 1000 }));
    /** Canary work time over [fromS, toS) relative to its best second (1 = full speed), worst core. */
    const slowdown = (fromS: number, toS: number): { mean: number | null; worst_second: number | null } => {
      const cs = overlapping(canaryLines, origin + fromS * 1000, origin + toS * 1000);
      if (!cs.length || canaryBest <= 0) return { mean: null, worst_second: null };
      const byCore = [0, 1].map((k) => cs.filter((c) => c.core === k)).filter((x) => x.length);
      const mean = Math.max(...byCore.map((x) => x.reduce((a, c) => a + c.work_ms_mean, 0) / x.length));
      return { mean: round(mean / canaryBest, 2), worst_second: round(Math.max(...cs.map((c) => c.work_ms_mean)) / canaryBest, 2) };
    };
    /** The mock's own p99 (ms) over [fromS, toS): the snapshots nearest inside those bounds. */
    const serverP99 = (fromS: number, toS: number): number | null => {
      const snaps = [...serverLatency].sort((a, b) => a.t_s - b.t_s);
      const from = snaps.filter((x) => x.t_s <= fromS).at(-1) ?? snaps[0];
      const to = snaps.filter((x) => x.t_s <= toS).at(-1);
      const q = from && to && to.t_s > from.t_s ? quantileBetween(from.hdr, to.hdr, 0.99) : null;
      return q === null ? null : round(q);
    };
    const loops = (fromS: number, toS: number): { lg: LoopWindow; mk: LoopWindow } => ({
      lg: loopOver(lgLines, origin + fromS * 1000, origin + toS * 1000),
      mk: loopOver(mockLines, origin + fromS * 1000, origin + toS * 1000),
    });

    const per = result.meta.interval_s;
    const perMin = 60 / per;
    const bad = badSeconds(result.timeline, BAD_LAG_MS);
    const badIn = (fromS: number, toS: number): number => bad.filter((i) => result.timeline[i].t_s >= fromS && result.timeline[i].t_s < toS).length;
    const perMinute = [];
    for (let m = 0; m < totalMin; m++) {
      const h = latencyOver(result, m * perMin, (m + 1) * perMin);
      const c = countsOver(result, m * perMin, (m + 1) * perMin);
      const rs = samples.filter((s) => s.t_s >= m * 60 && s.t_s < (m + 1) * 60);
      const slow = slowdown(m * 60, (m + 1) * 60);
      const { lg, mk } = loops(m * 60, (m + 1) * 60);
      perMinute.push({
        minute: m + 1,
        warm_up: m < warmMin,
        offered_per_s: round(c.offered / 60, 1),
        requests_per_s: round(c.requests / 60, 1),
        failed: c.failed,
        dropped: c.dropped,
        lag_p99_ms: round(c.lagP99),
        bad_seconds: badIn(m * 60, (m + 1) * 60),
        p50_ms: round(h.getValueAtPercentile(50) / 1000),
        p99_ms: round(h.getValueAtPercentile(99) / 1000),
        max_ms: round(h.maxValue / 1000),
        server_p99_ms: serverP99(m * 60, (m + 1) * 60),
        // ELD p99: the worst second's p99 in the minute (per-second lines do not merge exactly).
        loadgen_eld_p99_ms: lg.eld_p99_ms, loadgen_eld_max_ms: lg.eld_max_ms,
        loadgen_gc_max_ms: lg.gc_max_ms, loadgen_gc_total_ms: lg.gc_total_ms,
        server_eld_p99_ms: mk.eld_p99_ms, server_eld_max_ms: mk.eld_max_ms,
        server_gc_max_ms: mk.gc_max_ms, server_gc_total_ms: mk.gc_total_ms,
        canary_slowdown: slow.mean,
        canary_worst_second: slow.worst_second,
        server_rss_mb: rs.length ? Math.max(...rs.map((s) => s.server_rss_mb)) : null,
        loadgen_rss_mb: rs.length ? Math.max(...rs.map((s) => s.loadgen_rss_mb)) : null,
        server_cpu_share: rs.length < 2 ? null : round((rs.at(-1)!.server_cpu_s - rs[0].server_cpu_s) / (rs.at(-1)!.t_s - rs[0].t_s)),
        server_cpu_us_per_req: perReq(rs, c.requests / 60, (s) => s.server_cpu_s),
        loadgen_cpu_us_per_req: perReq(rs, c.requests / 60, (s) => s.loadgen_cpu_s),
      });
    }
    process.stdout.write('\nper minute (lag p99 and p99: the load generator\'s; ELD p99: worst second\'s; GC: max pause / total, ms)\n');
    table(['min', 'req/s', 'drop', 'fail', 'lag p99', 'p99', 'mock p99', 'bad s', 'mock cpu', 'lg ELD p99/max', 'lg GC max/tot', 'mock ELD p99/max', 'mock GC max/tot', 'canary', 'RSS mock/lg MB'],
      perMinute.map((m) => [`${m.warm_up ? 'w' : ''}${m.minute}`, num(m.requests_per_s, 0), String(m.dropped), String(m.failed), num(m.lag_p99_ms, 2), num(m.p99_ms, 2), num(m.server_p99_ms, 3), String(m.bad_seconds), pct(m.server_cpu_share),
        `${num(m.loadgen_eld_p99_ms)}/${num(m.loadgen_eld_max_ms)}`, `${num(m.loadgen_gc_max_ms)}/${num(m.loadgen_gc_total_ms, 0)}`,
        `${num(m.server_eld_p99_ms)}/${num(m.server_eld_max_ms)}`, `${num(m.server_gc_max_ms)}/${num(m.server_gc_total_ms, 0)}`,
        num(m.canary_slowdown, 2), `${num(m.server_rss_mb)}/${num(m.loadgen_rss_mb)}`]));

    // Attribution of every bad second: what else happened in that second, by wall clock.
    const attribution = bad.map((i) => {
      const it = result.timeline[i];
      const fromMs = origin + it.t_s * 1000;
      const toMs = fromMs + per * 1000;
      const lg = loopOver(lgLines, fromMs, toMs);
      const mk = loopOver(mockLines, fromMs, toMs);
      const cs = overlapping(canaryLines, fromMs, toMs);
      const coreSlow = (k: number): number | null => {
        const x = cs.filter((c) => c.core === k);
        return x.length && canaryBest > 0 ? round(Math.max(...x.map((c) => c.work_ms_mean)) / canaryBest, 2) : null;
      };
      const canary_by_core = [0, 1].map(coreSlow);
      const wake = cs.length ? Math.max(...cs.map((c) => c.wake_late_ms_max)) : null;
      const worstCore = canary_by_core.every((x) => x === null) ? null : Math.max(...canary_by_core.map((x) => x ?? 0));
      const read = Object.values(it.series).reduce((a, s) => Math.max(a, s?.p99 ?? 0), 0);
      return {
        t_s: it.t_s, at: new Date(fromMs).toISOString(), lag_p99_ms: it.lag_p99_ms, dropped: it.dropped, p99_ms: read,
        loadgen: lg, mock: mk, canary_slowdown_by_core: canary_by_core, canary_wake_late_ms_max: wake,
        mock_rss_mb: mk.rss_mb_max,
        likely: likelySignals({ lag_p99_ms: it.lag_p99_ms, loadgen: lg, mock: mk, canary_slowdown: worstCore, canary_wake_late_ms: wake }),
      };
    });
    writeFileSync(join(outDir, 'bad-seconds.json'), `${JSON.stringify(attribution, null, 1)}\n`);
    const eps = episodes(bad.map((i) => result.timeline[i].t_s));
    const mmss = (t: number): string => `${Math.floor(t / 60)}:${String(Math.floor(t % 60)).padStart(2, '0')}`;
    if (attribution.length) {
      process.stdout.write(`\n${bad.length} bad seconds (lag p99 > ${BAD_LAG_MS} ms) in ${eps.length} episode(s): ${eps.slice(0, 12).map((e) => `${mmss(e.from)}–${mmss(e.to + 1)} (${e.bad})`).join(', ')}${eps.length > 12 ? ', …' : ''}\n`);
      const shown = [...attribution].sort((a, b) => b.lag_p99_ms - a.lag_p99_ms).slice(0, 40).sort((a, b) => a.t_s - b.t_s);
      process.stdout.write(`attribution (${shown.length < attribution.length ? `worst ${shown.length} of ${attribution.length}` : 'all'}; every one in bad-seconds.json; ms unless noted):\n`);
      table(['t', 'lag p99', 'drop', 'p99', 'lg ELD max', 'lg GC max', 'lg cpu', 'mock ELD max', 'mock GC max', 'mock cpu', 'canary c0/c1', 'late', 'mock RSS MB', 'stands out'],
        shown.map((a) => [mmss(a.t_s), num(a.lag_p99_ms), String(a.dropped), num(a.p99_ms), num(a.loadgen.eld_max_ms), `${num(a.loadgen.gc_max_ms)}${a.loadgen.gc_max_kind ? ` ${a.loadgen.gc_max_kind}` : ''}`,
          pct(a.loadgen.cpu_share_max), num(a.mock.eld_max_ms), `${num(a.mock.gc_max_ms)}${a.mock.gc_max_kind ? ` ${a.mock.gc_max_kind}` : ''}`, pct(a.mock.cpu_share_max),
          a.canary_slowdown_by_core.map((x) => num(x, 2)).join('/'), num(a.canary_wake_late_ms_max), num(a.mock_rss_mb), a.likely.join('; ')]));
    } else {
      process.stdout.write(`\nno bad second (lag p99 > ${BAD_LAG_MS} ms)\n`);
    }

    const w = Math.min(5, Math.floor(minutes / 2)) || 1;
    const windowOf = (fromMin: number): Record<string, number | null> => {
      const h = latencyOver(result, fromMin * perMin, (fromMin + w) * perMin);
      const c = countsOver(result, fromMin * perMin, (fromMin + w) * perMin);
      const rs = samples.filter((s) => s.t_s >= fromMin * 60 && s.t_s < (fromMin + w) * 60);
      const mean = (f: (s: Sample) => number): number => round(rs.reduce((a, s) => a + f(s), 0) / Math.max(1, rs.length), 1);
      const { lg, mk } = loops(fromMin * 60, (fromMin + w) * 60);
      return {
        offered_per_s: round(c.offered / (w * 60), 1), requests_per_s: round(c.requests / (w * 60), 1),
        error_rate: round(c.failed / Math.max(1, c.requests), 5), dropped: c.dropped, lag_p99_ms: round(c.lagP99),
        bad_seconds: badIn(fromMin * 60, (fromMin + w) * 60),
        p50_ms: round(h.getValueAtPercentile(50) / 1000), p99_ms: round(h.getValueAtPercentile(99) / 1000),
        server_p99_ms: serverP99(fromMin * 60, (fromMin + w) * 60),
        server_rss_mb: mean((s) => s.server_rss_mb), loadgen_rss_mb: mean((s) => s.loadgen_rss_mb),
        server_cpu_us_per_req: perReq(rs, c.requests / (w * 60), (s) => s.server_cpu_s),
        loadgen_cpu_us_per_req: perReq(rs, c.requests / (w * 60), (s) => s.loadgen_cpu_s),
        loadgen_eld_max_ms: lg.eld_max_ms, loadgen_gc_max_ms: lg.gc_max_ms, server_eld_max_ms: mk.eld_max_ms, server_gc_max_ms: mk.gc_max_ms,
        canary_slowdown: slowdown(fromMin * 60, (fromMin + w) * 60).mean,
      };
    };
    // Minutes counted from the run's start; the measured minutes begin after the warm-up.
    const first = windowOf(warmMin);
    const last = windowOf(totalMin - w);
    // Drift, last minus first window, absolute and relative.
    const drift: Record<string, number | null> = {};
    const driftPct: Record<string, number | null> = {};
    for (const k of Object.keys(first)) {
      const a = first[k];
      const b = last[k];
      drift[k] = a === null || b === null ? null : round(b - a, 3);
      driftPct[k] = a === null || b === null || a === 0 ? null : round(((b - a) / a) * 100, 1);
    }
    // The reliability goal: both processes' RSS and p99 within 10%, first window to last, 0 failed.
    const FLAT = ['server_rss_mb', 'loadgen_rss_mb', 'server_p99_ms', 'p99_ms'];
    const verdict = flatVerdict(driftPct, FLAT, 10);
    const s = result.summary;
    const cpuOver = (pick: (x: Sample) => number): number | null => (samples.length < 2 ? null
      : round((pick(samples.at(-1)!) - pick(samples[0])) / ((samples.at(-1)!.at_ms - samples[0].at_ms) / 1000)));
    const report = {
      bench: 'soak', at: new Date().toISOString(), machine: machineInfo(),
      minutes, warm_up_minutes: warmMin, request, loadgen_node_flags: lgNodeFlags, server_node_flags: serverNodeFlags, server_p99_source: '/metrics/latency (HDR, µs)', pinned: pin ? { server_core: SERVER_CORE, loadgen_core: LOADGEN_CORE } : null, rate_per_s: rate,
      share_of_open_capacity: givenRate === '' ? share : null, probe, open_model_steps: givenRate === '' ? stepsReport : null,
      exit_code: code, kept: outDir,
      summary: {
        requests: s.requests.total, ok: s.requests.ok, failed: s.requests.failed, dropped: s.requests.dropped,
        by_code: s.requests.by_code, latency_ms: s.latency_ms, schedule_lag_ms: s.schedule_lag_ms, duration_s: s.duration_s,
        // CPU seconds per wall second over the run (1 = one core always busy).
        server_cpu_share: cpuOver((x) => x.server_cpu_s), loadgen_cpu_share: cpuOver((x) => x.loadgen_cpu_s),
        bad_seconds: bad.length, bad_second_episodes: eps,
      },
      // The run's per-interval HDR histograms in result.json (base64, for exact merges). The load
      // generator spills them to a temporary file as intervals close (loadgen/record/spill.ts):
      // they grow the file, not its memory.
      result_interval_histograms_mb: mb(result.histograms.intervals.reduce((a, it) => a + Object.values(it ?? {}).reduce((b, v) => b + String(v).length, 0), 0)), // base64 is ASCII: 1 byte per char
      window_minutes: w, first, last, drift, drift_pct: driftPct, flat_within_10pct: verdict.by_key, flat: verdict.flat && s.requests.failed === 0,
      per_minute: perMinute,
      bad_seconds: { over_lag_p99_ms: BAD_LAG_MS, count: bad.length, first_window: first.bad_seconds, last_window: last.bad_seconds, worst: [...attribution].sort((a, b) => b.lag_p99_ms - a.lag_p99_ms).slice(0, 40) },
      canary: { best_ms: canaryBest, note: 'canary_slowdown: mean time of the fixed work over the minute / its best second (worst core); canary_worst_second: the slowest second' },
      monitor: { note: 'bench/lib/loop-monitor.mjs preloaded in the load generator (the mock serves from a worker thread, which a preload cannot watch): eld = event-loop delay beyond its 10 ms timer; gc = pause durations by kind', loadgen_lines: lgLines.length, server_lines: mockLines.length },
      rss_samples: samples,
    };
    writeFileSync(join(outDir, 'soak.json'), `${JSON.stringify(report, null, 1)}\n`);
    mkdirSync(join(jsonOut, '..'), { recursive: true });
    writeFileSync(jsonOut, `${JSON.stringify(report, null, 1)}\n`);
    process.stdout.write('\n');
    log(`first ${w} min: ${JSON.stringify(first)}`);
    log(`last  ${w} min: ${JSON.stringify(last)}`);
    log(`drift (last - first): ${JSON.stringify(drift)}`);
    log(`drift %: ${JSON.stringify(driftPct)}`);
    log(`rate ${rate}/s; mock cpu ${pct(report.summary.server_cpu_share)} of its core${predictedMockShare === null ? '' : ` (the steps predicted ${pct(predictedMockShare)})`}, load generator ${pct(report.summary.loadgen_cpu_share)}`);
    const names: Record<string, string> = { server_rss_mb: 'mock RSS', loadgen_rss_mb: 'loadgen RSS', server_p99_ms: 'mock p99', p99_ms: 'loadgen p99' };
    const parts = FLAT.map((k) => `${names[k]} ${first[k] ?? '–'} → ${last[k] ?? '–'} (${driftPct[k] === null ? 'n/a' : `${driftPct[k]! > 0 ? '+' : ''}${driftPct[k]}%`}${verdict.by_key[k] ? '' : ' ✗'})`);
    const span = (a: number, b: number): string => (a === b ? `minute ${a}` : `minutes ${a}–${b}`);
    const windowsText = (n: number | null, label: string): string => `${label} ${n ?? 0}`;
    const badWarm = badIn(0, warmMin * 60);
    const badText = w * 2 > minutes
      ? `windows overlap (${minutes} min): ${windowsText(first.bad_seconds, `first ${w} min`)}, ${windowsText(last.bad_seconds, `last ${w} min`)}`
      : `${windowsText(first.bad_seconds, `first window (${span(warmMin + 1, warmMin + w)})`)}, ${windowsText(last.bad_seconds, `last window (${span(totalMin - w + 1, totalMin)})`)}, ${warmMin ? `in the warm-up ${badWarm}, ` : ''}in between ${bad.length - (first.bad_seconds ?? 0) - (last.bad_seconds ?? 0) - badWarm}`;
    const held = [first.bad_seconds ? 'first' : '', last.bad_seconds ? 'last' : ''].filter(Boolean);
    log(`VERDICT: ${report.flat ? 'FLAT' : 'NOT FLAT'}${w * 2 > minutes ? ' (windows overlap: not a drift test)' : ''} (RSS and p99 of both processes within 10%, first ${w} vs last ${w} of the ${minutes} measured minutes, after ${warmMin} min warm-up; ${s.requests.failed} failed): ${parts.join('; ')}`);
    log(`machine speed (canary, 1 = its best second): first window ${num(first.canary_slowdown, 2)}×, last ${num(last.canary_slowdown, 2)}×` +
      `${first.canary_slowdown !== null && last.canary_slowdown !== null && Math.abs(last.canary_slowdown / first.canary_slowdown - 1) >= 0.1 ? ' — the machine itself ran at a different speed in the two windows' : ''}`);
    log(`bad seconds (lag p99 > ${BAD_LAG_MS} ms): ${bad.length} in all; ${badText}` +
      `${held.length ? ` — the ${held.join(' and ')} window${held.length > 1 ? 's hold' : ' holds'} bad seconds: ${held.length > 1 ? 'their' : 'its'} p99 may carry an episode rather than a drift (see the attribution above)` : ' — neither window holds one: the p99s compared are free of episodes'}`);
    log(`wrote ${jsonOut}; kept ${outDir} (result.json, report, ${steps.length ? 'steps/, ' : ''}monitor-*.jsonl, canary.jsonl, bad-seconds.json, soak.json)`);
  } finally {
    for (const c of canaries) c.kill('SIGTERM');
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
