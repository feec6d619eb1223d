/**
 * Engine rate benchmark: how faithfully the open-model engine keeps a constant rate, and its
 * ceiling, against a trivial node:http 204 server in a separate process (pinned to the last
 * core). Rows: 1,000/s and 5,000/s for 20 s (achieved vs offered, schedule lag p99); 30,000/s
 * and 60,000/s for 10 s with maxInFlight 64 (offered at and above capacity: achieved = the
 * engine's maximum, the rest dropped); autocannon -c 64 for 10 s on the same target as the closed-model reference.
 * Run: node --import tsx bench/engine-rate.ts [--quick]   (writes bench/results/engine-rate.json)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import autocannon from 'autocannon';
import { Hierarchy } from '../src/domain/index.js';
import type { ConstantRateScenario } from '../src/scenario/types.js';
import { constantReadPlan } from './lib/read-plan.js';
import { runLoad } from '../loadgen/run.js';
import { machineInfo } from './lib/machine.js';
import { startProcessTarget } from './lib/process-target.js';

const quick = process.argv.includes('--quick');
const hierarchy = new Hierarchy({ election: 'pilkada-2024', scale: 1, seed: 1, regions: ['6205'] });


function scenario(rate: number, durationMs: number, maxInFlight: number): ConstantRateScenario {
  return {
    name: `engine-rate-${rate}`, description: '', election: 'pilkada-2024', regions: ['6205'], scale: 1, seed: 1,
    executor: 'constant-rate', rate, durationMs, request: 'read:progress', drainS: 5, intervalS: 1,
    officers: {
      pagesPerForm: 1, photoBytes: { fixed: 1000 }, misreadShare: 0, duplicateShare: 0, correctionShare: 0,
      attemptTimeoutMs: 10_000, thinkMs: 0,
      retry: { max: 0, baseMs: 100, capMs: 1000, jitter: 'full', honourRetryAfter: true },
    },
    limits: { maxInFlight, connections: 64 }, thresholds: [],
  };
}

interface Row {
  run: string;
  offered_per_s: number;
  achieved_per_s: number;
  ok: number;
  dropped: number;
  latency_p50_ms: number;
  latency_p99_ms: number;
  service_p99_ms: number;
  lag_p99_ms: number;
  lag_max_ms: number;
}

async function engineRow(url: string, rate: number, seconds: number, maxInFlight: number): Promise<Row> {
  const r = await runLoad({ scenario: scenario(rate, seconds * 1000, maxInFlight), hierarchy, plan: constantReadPlan(rate, seconds * 1000), targetUrl: url });
  const s = r.summary;
  // Rates over the arrival window (not the drain): completions per second of schedule.
  return {
    run: `ujibeban ${rate}/s, ${seconds} s, maxInFlight ${maxInFlight}`,
    offered_per_s: rate,
    achieved_per_s: Math.round(s.requests.ok / seconds),
    ok: s.requests.ok,
    dropped: s.requests.dropped,
    latency_p50_ms: s.latency_ms.p50,
    latency_p99_ms: s.latency_ms.p99,
    service_p99_ms: s.service_time_ms.p99,
    lag_p99_ms: s.schedule_lag_ms.p99,
    lag_max_ms: s.schedule_lag_ms.max,
  };
}

async function autocannonRow(url: string, seconds: number): Promise<Row> {
  const r = await autocannon({ url: `${url}/api/v1/progress?region=62`, connections: 64, duration: seconds });
  return {
    run: `autocannon -c 64, ${seconds} s (closed model)`,
    offered_per_s: NaN,
    achieved_per_s: Math.round(r['2xx'] / r.duration),
    ok: r['2xx'],
    dropped: 0,
    latency_p50_ms: r.latency.p50,
    latency_p99_ms: r.latency.p99,
    service_p99_ms: r.latency.p99,
    lag_p99_ms: NaN,
    lag_max_ms: NaN,
  };
}

const target = await startProcessTarget('node-204.mjs', [300], cpus().length - 1);
const rows: Row[] = [];
try {
  // A short unrecorded run first: the target process and this one are both cold (JIT), and
  // the first row would otherwise carry their warm-up as schedule lag.
  await engineRow(target.url, 1000, 2, 10_000);
  const long = quick ? 5 : 20;
  const short = quick ? 3 : 10;
  rows.push(await engineRow(target.url, 1000, long, 10_000));
  rows.push(await engineRow(target.url, 5000, long, 10_000));
  rows.push(await engineRow(target.url, 30_000, short, 64));
  rows.push(await engineRow(target.url, 60_000, short, 64));
  rows.push(await autocannonRow(target.url, short));
} finally {
  await target.stop();
}

const f = (x: number): string => (Number.isNaN(x) ? '-' : String(x));
const header = ['run', 'offered/s', 'achieved/s', 'ok', 'dropped', 'p50 ms', 'p99 ms', 'svc p99', 'lag p99', 'lag max'];
const table = rows.map((r) => [r.run, f(r.offered_per_s), f(r.achieved_per_s), f(r.ok), f(r.dropped), f(r.latency_p50_ms),
  f(r.latency_p99_ms), f(r.service_p99_ms), f(r.lag_p99_ms), f(r.lag_max_ms)]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log(line(header));
for (const row of table) console.log(line(row));

mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/engine-rate.json', import.meta.url), `${JSON.stringify({
  bench: 'engine-rate', at: new Date().toISOString(), quick, machine: machineInfo(), rows,
}, null, 2)}\n`);
console.log('wrote bench/results/engine-rate.json');
