/**
 * One constant-rate engine run in its own process, so the bench can pin the load generator
 * to a core (taskset) apart from the target. Drives `runLoad` with a constant-rate plan of
 * GET reads, counts the requests handed to the HTTP client per 100 ms (burstiness), and prints one
 * JSON line: the result summary, the send-count statistics and this process's CPU time.
 *
 *   node --import tsx bench/lib/engine-child.ts '{"url":"http://127.0.0.1:8080","rate":1000,"seconds":20}'
 */
import { Hierarchy } from '../../src/domain/index.js';
import type { ConstantRateScenario } from '../../src/scenario/types.js';
import { constantReadPlan } from './read-plan.js';
import { nowUs } from '../../loadgen/clock.js';
import { createPool } from '../../loadgen/http/pool.js';
import { createTransport } from '../../loadgen/http/transport.js';
import { UndiciTransport } from '../../loadgen/http/undici-transport.js';
import { runLoad } from '../../loadgen/run.js';

export interface EngineChildArgs {
  url: string;
  rate: number;
  seconds: number;
  maxInFlight?: number;
  connections?: number;
  /** Seconds of an unrecorded run first (JIT warm-up of this process and the target). */
  warmupS?: number;
  /** HTTP client: the engine's default for the URL (raw for http://), or undici to compare. */
  client?: 'default' | 'undici';
}

export interface EngineChildOut {
  offered: number;
  ok: number;
  failed: number;
  dropped: number;
  seconds: number;
  achieved_per_s: number;
  latency_ms: { p50: number; p95: number; p99: number; p999: number; max: number };
  service_p99_ms: number;
  lag_ms: { p50: number; p99: number; max: number };
  /** Requests handed to the HTTP client per 100 ms bucket of the schedule, against rate / 10. */
  sends: { expected: number; buckets: number; max: number; min: number; over_1_2x: number; cv: number };
  cpu_ms: number;
  rss_mb: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as EngineChildArgs;
const hierarchy = new Hierarchy({ election: 'pilkada-2024', scale: 1, seed: 1, regions: ['6205'] });


function scenario(rate: number, durationMs: number, maxInFlight: number, connections: number): ConstantRateScenario {
  return {
    name: `bench-${rate}`, description: '', election: 'pilkada-2024', regions: ['6205'], scale: 1, seed: 1,
    executor: 'constant-rate', rate, durationMs, request: 'read:progress', drainS: 5, intervalS: 1,
    officers: {
      pagesPerForm: 1, photoBytes: { fixed: 1000 }, misreadShare: 0, duplicateShare: 0, correctionShare: 0,
      attemptTimeoutMs: 10_000, thinkMs: 0,
      retry: { max: 0, baseMs: 100, capMs: 1000, jitter: 'full', honourRetryAfter: true },
    },
    limits: { maxInFlight, connections }, thresholds: [],
  };
}

async function once(rate: number, seconds: number, count: boolean): Promise<EngineChildOut> {
  const maxInFlight = args.maxInFlight ?? 10_000;
  const connections = args.connections ?? 64;
  const pool = args.client === 'undici'
    ? new UndiciTransport(createPool(args.url, { connections }), true)
    : createTransport(args.url, { connections });
  // Count sends per 100 ms from the first arrival (the first send is runLoad's warm-up).
  const buckets = new Uint32Array(Math.ceil(seconds * 10) + 2);
  let dispatches = 0;
  let t0 = 0;
  const send = pool.send.bind(pool);
  if (count) {
    pool.send = ((spec, timeoutMs) => {
      dispatches++;
      if (dispatches >= 2) {
        const now = nowUs();
        if (dispatches === 2) t0 = now;
        const b = Math.floor((now - t0) / 100_000);
        if (b < buckets.length) buckets[b]++;
      }
      return send(spec, timeoutMs);
    }) as typeof pool.send;
  }
  const cpu0 = process.cpuUsage();
  const r = await runLoad({ scenario: scenario(rate, seconds * 1000, maxInFlight, connections), hierarchy, plan: constantReadPlan(rate, seconds * 1000), targetUrl: args.url, transport: pool });
  const cpu = process.cpuUsage(cpu0);
  await pool.close();
  const s = r.summary;
  // Whole buckets inside the schedule only (the last partial one and the drain are left out).
  const full = Math.floor(seconds * 10) - 1;
  const expected = rate / 10;
  let max = 0;
  let min = Infinity;
  let over = 0;
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < full; i++) {
    const c = buckets[i];
    max = Math.max(max, c);
    min = Math.min(min, c);
    if (c > expected * 1.2) over++;
    sum += c;
    sq += c * c;
  }
  const mean = sum / Math.max(1, full);
  const cv = full > 0 ? Math.sqrt(Math.max(0, sq / full - mean * mean)) / mean : 0;
  return {
    offered: s.requests.total + s.requests.dropped,
    ok: s.requests.ok,
    failed: s.requests.failed,
    dropped: s.requests.dropped,
    seconds,
    achieved_per_s: s.requests.ok / seconds,
    latency_ms: { p50: s.latency_ms.p50, p95: s.latency_ms.p95, p99: s.latency_ms.p99, p999: s.latency_ms.p999, max: s.latency_ms.max },
    service_p99_ms: s.service_time_ms.p99,
    lag_ms: { p50: s.schedule_lag_ms.p50, p99: s.schedule_lag_ms.p99, max: s.schedule_lag_ms.max },
    sends: { expected, buckets: full, max, min: full > 0 ? min : 0, over_1_2x: over, cv: Math.round(cv * 10000) / 10000 },
    cpu_ms: Math.round((cpu.user + cpu.system) / 1000),
    rss_mb: Math.round(process.memoryUsage().rss / 1048576),
  };
}

if (args.warmupS && args.warmupS > 0) await once(Math.min(args.rate, 5000), args.warmupS, false);
const out = await once(args.rate, args.seconds, true);
process.stdout.write(`${JSON.stringify(out)}\n`);
