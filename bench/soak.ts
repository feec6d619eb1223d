/**
 * Soak: does anything drift over a long run? The mock server in its own process (file-backed
 * SQLite), its capacity measured with `ujibeban probe` (or given), then `ujibeban run` in
 * another process: a constant-rate executor at ~60% of that capacity for N minutes. Every 5 s
 * the RSS and CPU time of both processes are sampled; after the run the latency p99 per minute is computed
 * from result.json's per-interval HDR histograms (exact merges, not averaged percentiles).
 * The mock's own latency (time inside the server, from its /metrics histogram) is sampled
 * with them, so each minute has both processes' p99. Prints the drift, first vs last 5 minutes
 * (RSS, CPU µs per request and p99 of each process, achieved rate, errors) and writes
 * bench/results/soak.json. Loopback only; bounded: the run is killed at N + 3 min.
 *
 * A canary (bench/lib/canary.mjs) on each core times the same fixed work every 100 ms: when
 * a minute's latency rises together with the canary's time, the machine itself slowed down
 * (on a VM, the host took the core), not the soaked processes.
 *
 * With two or more cores and taskset, the mock is pinned to the last core and the probe and
 * the load generator to core 0 (as in bench/run.ts), so that neither process takes the
 * other's core; --no-pin leaves placement to the kernel.
 *
 * Run: node --import tsx bench/soak.ts [--minutes 30] [--rate R] [--share 0.6]
 *        [--request read:progress|login|upload] [--no-pin]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { addInto, decodeHistogram, newHistogram, type Histogram } from '../src/result/hdr.js';
import type { ResultV1 } from '../src/result/types.js';
import { REPO, cpuSeconds, rssBytes, spawnCli, startCliServer } from './lib/cli-process.js';
import { machineInfo } from './lib/machine.js';
import { pinned, which } from './lib/peers.js';
import { fetchDurationBuckets, quantileBetween, type BucketSnapshot } from './lib/server-latency.js';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : def;
}

const minutes = Number(arg('minutes', '30'));
const share = Number(arg('share', '0.6'));
const request = arg('request', 'read:progress');
const givenRate = arg('rate', '');
const SAMPLE_MS = 5000;
const pin = !process.argv.includes('--no-pin') && cpus().length >= 2 && which('taskset');
const LOADGEN_CORE = pin ? 0 : undefined;
const SERVER_CORE = pin ? cpus().length - 1 : undefined;
if (!(minutes >= 1 && minutes <= 240)) throw new Error('--minutes: expected 1..240');
if (!['read:progress', 'login', 'upload'].includes(request)) throw new Error('--request: expected read:progress, login or upload');

const work = mkdtempSync(join(tmpdir(), 'ujibeban-soak-'));
const log = (s: string): void => { process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${s}\n`); };

function waitExit(child: ReturnType<typeof spawnCli>, limitMs: number): Promise<number | null> {
  return new Promise((resolve) => {
    const t = setTimeout(() => { child.kill('SIGKILL'); }, limitMs);
    child.once('exit', (code) => { clearTimeout(t); resolve(code); });
  });
}

interface CanaryLine { core: number; t_s: number; work_ms_mean: number; work_ms_max: number; wake_late_ms_max: number }

/** One canary per core (pinned when possible); their lines, stamped with the core, land in `into`. */
function startCanaries(into: CanaryLine[], maxS: number): ChildProcess[] {
  const file = join(REPO, 'bench/lib/canary.mjs');
  return Array.from({ length: Math.min(2, cpus().length) }, (_, core) => {
    const [cmd, ...rest] = pin ? pinned(core, [process.execPath, file, String(maxS)]) : [process.execPath, file, String(maxS)];
    const child = spawn(cmd, rest, { stdio: ['ignore', 'pipe', 'ignore'] });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try { into.push({ core, ...(JSON.parse(line) as Omit<CanaryLine, 'core'>) }); } catch { /* not a canary line */ }
    });
    return child;
  });
}

interface Sample { t_s: number; server_rss_mb: number; loadgen_rss_mb: number; server_cpu_s: number; loadgen_cpu_s: number }

const mb = (b: number): number => Math.round((b / 1048576) * 10) / 10;
const round = (x: number, d = 3): number => Math.round(x * 10 ** d) / 10 ** d;

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

async function main(): Promise<void> {
  const server = await startCliServer(['--scenario', 'constant-rate', '--db', join(work, 'soak.sqlite')], SERVER_CORE);
  log(`mock server ${server.url} (pid ${server.pid})${pin ? `, pinned to core ${SERVER_CORE}; probe and load generator on core ${LOADGEN_CORE}` : ''}`);
  let loadgenPid = 0;
  try {
    let rate: number;
    let probe: unknown = null;
    if (givenRate !== '') {
      rate = Number(givenRate);
    } else {
      const out = join(work, 'probe.json');
      log(`measuring capacity: ujibeban probe --endpoint ${request} (8,16,32,64 connections, 5 s each)`);
      const p = spawnCli(['probe', '--target', server.url, '--endpoint', request, '--connections', '8,16,32,64', '--duration', '5s', '--out', out], 'inherit', LOADGEN_CORE);
      const code = await waitExit(p, 120_000);
      if (code !== 0) throw new Error(`probe exited with ${code}`);
      probe = JSON.parse(readFileSync(out, 'utf8'));
      const pr = probe as { knee: { rps: number } | null; steps: Array<{ rps: number }> };
      const capacity = pr.knee?.rps ?? Math.max(...pr.steps.map((s) => s.rps));
      rate = Math.round(capacity * share);
      log(`capacity ~${Math.round(capacity)}/s; soak rate ${rate}/s (${share * 100}%)`);
    }
    if (!(rate > 0)) throw new Error(`bad rate ${rate}`);

    // Kept after the soak (reports/ is out of git): the per-second timeline of a bad minute is
    // what attributes it.
    const outDir = join(REPO, 'reports', `soak-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    const run = spawnCli(['run', 'constant-rate', '--target', server.url, '--out', outDir, '--no-progress',
      '--set', `rate=${rate}`, '--set', `duration="${minutes}m"`, '--set', `request="${request}"`,
      '--set', 'limits.maxInFlight=5000', '--set', 'limits.connections=64'], 'inherit', LOADGEN_CORE);
    loadgenPid = run.pid!;
    log(`ujibeban run constant-rate at ${rate}/s for ${minutes} min (pid ${loadgenPid})`);
    const t0 = Date.now();
    const samples: Sample[] = [];
    const canary: CanaryLine[] = [];
    const canaries = startCanaries(canary, (minutes + 4) * 60);
    const serverBuckets: Array<{ t_s: number; b: BucketSnapshot }> = [];
    const baseline = await fetchDurationBuckets(server.url);
    if (baseline) serverBuckets.push({ t_s: 0, b: baseline });
    const sampler = setInterval(() => {
      void Promise.all([rssBytes(server.pid), rssBytes(loadgenPid), cpuSeconds(server.pid), cpuSeconds(loadgenPid)]).then(([s, l, sc, lc]) => {
        if (l === 0) return;
        samples.push({ t_s: Math.round((Date.now() - t0) / 1000), server_rss_mb: mb(s), loadgen_rss_mb: mb(l), server_cpu_s: sc, loadgen_cpu_s: lc });
        if (samples.length % 12 === 0) log(`t=${samples.at(-1)!.t_s}s rss server ${mb(s)} MB, loadgen ${mb(l)} MB`);
      });
      const at = Math.round((Date.now() - t0) / 1000);
      void fetchDurationBuckets(server.url).then((b) => { if (b) serverBuckets.push({ t_s: at, b }); });
    }, SAMPLE_MS);
    const code = await waitExit(run, (minutes + 3) * 60_000);
    clearInterval(sampler);
    for (const c of canaries) c.kill('SIGTERM');
    // The canary's best second: the machine's speed when nothing took the core.
    const canaryBest = canary.length ? Math.min(...canary.map((c) => c.work_ms_mean)) : 0;
    /** Canary work time over [fromS, toS) relative to its best second (1 = full speed), worst core. */
    const slowdown = (fromS: number, toS: number): { mean: number | null; worst_second: number | null } => {
      const cs = canary.filter((c) => c.t_s >= fromS && c.t_s < toS);
      if (!cs.length || canaryBest <= 0) return { mean: null, worst_second: null };
      const byCore = [0, 1].map((k) => cs.filter((c) => c.core === k)).filter((x) => x.length);
      const mean = Math.max(...byCore.map((x) => x.reduce((a, c) => a + c.work_ms_mean, 0) / x.length));
      return { mean: round(mean / canaryBest, 2), worst_second: round(Math.max(...cs.map((c) => c.work_ms_mean)) / canaryBest, 2) };
    };
    log(`run exited with ${code} after ${Math.round((Date.now() - t0) / 1000)} s`);

    /** The mock's own p99 (ms) over [fromS, toS): the snapshots nearest inside those bounds. */
    const serverP99 = (fromS: number, toS: number): number | null => {
      const snaps = [...serverBuckets].sort((a, b) => a.t_s - b.t_s);
      const from = snaps.filter((x) => x.t_s <= fromS).at(-1) ?? snaps[0];
      const to = snaps.filter((x) => x.t_s <= toS).at(-1);
      const q = from && to && to.t_s > from.t_s ? quantileBetween(from.b, to.b, 0.99) : null;
      return q === null ? null : round(q);
    };
    const result = JSON.parse(readFileSync(join(outDir, 'result.json'), 'utf8')) as ResultV1;
    const perMin = 60 / result.meta.interval_s;
    const perMinute = [];
    for (let m = 0; m < minutes; m++) {
      const h = latencyOver(result, m * perMin, (m + 1) * perMin);
      const c = countsOver(result, m * perMin, (m + 1) * perMin);
      const rs = samples.filter((s) => s.t_s >= m * 60 && s.t_s < (m + 1) * 60);
      const slow = slowdown(m * 60, (m + 1) * 60);
      perMinute.push({
        minute: m + 1,
        offered_per_s: round(c.offered / 60, 1),
        requests_per_s: round(c.requests / 60, 1),
        failed: c.failed,
        dropped: c.dropped,
        lag_p99_ms: round(c.lagP99),
        p50_ms: round(h.getValueAtPercentile(50) / 1000),
        p99_ms: round(h.getValueAtPercentile(99) / 1000),
        max_ms: round(h.maxValue / 1000),
        server_p99_ms: serverP99(m * 60, (m + 1) * 60),
        canary_slowdown: slow.mean,
        canary_worst_second: slow.worst_second,
        server_rss_mb: rs.length ? Math.max(...rs.map((s) => s.server_rss_mb)) : null,
        loadgen_rss_mb: rs.length ? Math.max(...rs.map((s) => s.loadgen_rss_mb)) : null,
        server_cpu_us_per_req: perReq(rs, c.requests / 60, (s) => s.server_cpu_s),
        loadgen_cpu_us_per_req: perReq(rs, c.requests / 60, (s) => s.loadgen_cpu_s),
      });
    }
    const w = Math.min(5, Math.floor(minutes / 2)) || 1;
    const windowOf = (fromMin: number): Record<string, number | null> => {
      const h = latencyOver(result, fromMin * perMin, (fromMin + w) * perMin);
      const c = countsOver(result, fromMin * perMin, (fromMin + w) * perMin);
      const rs = samples.filter((s) => s.t_s >= fromMin * 60 && s.t_s < (fromMin + w) * 60);
      const mean = (f: (s: Sample) => number): number => round(rs.reduce((a, s) => a + f(s), 0) / Math.max(1, rs.length), 1);
      return {
        offered_per_s: round(c.offered / (w * 60), 1), requests_per_s: round(c.requests / (w * 60), 1),
        error_rate: round(c.failed / Math.max(1, c.requests), 5), dropped: c.dropped, lag_p99_ms: round(c.lagP99),
        p50_ms: round(h.getValueAtPercentile(50) / 1000), p99_ms: round(h.getValueAtPercentile(99) / 1000),
        server_p99_ms: serverP99(fromMin * 60, (fromMin + w) * 60),
        server_rss_mb: mean((s) => s.server_rss_mb), loadgen_rss_mb: mean((s) => s.loadgen_rss_mb),
        server_cpu_us_per_req: perReq(rs, c.requests / (w * 60), (s) => s.server_cpu_s),
        loadgen_cpu_us_per_req: perReq(rs, c.requests / (w * 60), (s) => s.loadgen_cpu_s),
      };
    };
    const first = windowOf(0);
    const last = windowOf(minutes - w);
    // Drift, last minus first window, absolute and relative (the issue's test: |relative| < 10%
    // for RSS and p99 of both processes).
    const drift: Record<string, number | null> = {};
    const driftPct: Record<string, number | null> = {};
    for (const k of Object.keys(first)) {
      const a = first[k];
      const b = last[k];
      drift[k] = a === null || b === null ? null : round(b - a, 3);
      driftPct[k] = a === null || b === null || a === 0 ? null : round(((b - a) / a) * 100, 1);
    }
    const FLAT = ['server_rss_mb', 'loadgen_rss_mb', 'server_p99_ms', 'p99_ms'];
    const flat = Object.fromEntries(FLAT.map((k) => [k, driftPct[k] !== null && Math.abs(driftPct[k]!) < 10]));
    const s = result.summary;
    const report = {
      bench: 'soak', at: new Date().toISOString(), machine: machineInfo(),
      minutes, request, pinned: pin ? { server_core: SERVER_CORE, loadgen_core: LOADGEN_CORE } : null, rate_per_s: rate, share_of_capacity: givenRate === '' ? share : null, probe,
      exit_code: code,
      summary: {
        requests: s.requests.total, ok: s.requests.ok, failed: s.requests.failed, dropped: s.requests.dropped,
        by_code: s.requests.by_code, latency_ms: s.latency_ms, schedule_lag_ms: s.schedule_lag_ms, duration_s: s.duration_s,
      },
      // The run's per-interval HDR histograms in result.json (base64, for exact merges). The load
      // generator spills them to a temporary file as intervals close (loadgen/record/spill.ts):
      // they grow the file, not its memory.
      result_interval_histograms_mb: mb(result.histograms.intervals.reduce((a, it) => a + Object.values(it ?? {}).reduce((b, v) => b + String(v).length, 0), 0)), // base64 is ASCII: 1 byte per char
      window_minutes: w, first, last, drift, drift_pct: driftPct, flat_within_10pct: flat,
      per_minute: perMinute,
      canary: { best_ms: canaryBest, note: 'canary_slowdown: mean time of the fixed work over the minute / its best second (worst core); canary_worst_second: the slowest second' },
      rss_samples: samples,
    };
    mkdirSync(join(REPO, 'bench/results'), { recursive: true });
    const file = join(REPO, 'bench/results/soak.json');
    writeFileSync(file, `${JSON.stringify(report, null, 1)}\n`);
    log(`first ${w} min: ${JSON.stringify(first)}`);
    log(`last  ${w} min: ${JSON.stringify(last)}`);
    log(`drift (last - first): ${JSON.stringify(drift)}`);
    log(`drift %: ${JSON.stringify(driftPct)}`);
    log(`flat (|drift| < 10%): ${JSON.stringify(flat)}`);
    log(`wrote ${file}; the run's own output is in ${outDir}`);
  } finally {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
