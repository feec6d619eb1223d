/**
 * Hand-made scenarios and plans for engine tests: the engine must not depend on how the plan
 * room builds them, only on the Plan contract.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { Hierarchy } from '../../src/domain/index.js';
import type { ConstantRateScenario, ElectionDayScenario, RequestKind } from '../../src/scenario/types.js';
import type { Arrival, Plan, PlanCheckpoint } from '../../loadgen/plan/types.js';

export const officersDefaults = {
  pagesPerForm: 1,
  photoBytes: { fixed: 2000 },
  misreadShare: 0,
  duplicateShare: 0,
  correctionShare: 0,
  attemptTimeoutMs: 5000,
  retry: { max: 0, baseMs: 10, capMs: 100, jitter: 'full' as const, honourRetryAfter: true },
  thinkMs: 0,
};

export function constantRateScenario(o: Partial<ConstantRateScenario> & { rate: number; durationMs: number; request: RequestKind }): ConstantRateScenario {
  return {
    name: 'test-constant', description: '', election: 'pilkada-2024', regions: ['6205'], scale: 1, seed: 1,
    officers: officersDefaults, limits: { maxInFlight: 10_000, connections: 64 }, thresholds: [], intervalS: 1,
    executor: 'constant-rate', drainS: 5, ...o,
  };
}

export function electionDayScenario(o: Partial<ElectionDayScenario> = {}): ElectionDayScenario {
  return {
    name: 'test-day', description: '', election: 'pilkada-2024', regions: ['6205'], scale: 1, seed: 1,
    officers: officersDefaults, limits: { maxInFlight: 10_000, connections: 32 }, thresholds: [], intervalS: 1,
    executor: 'election-day', clock: 'local',
    window: { start: '13:00', end: '24:00', startMin: 780, endMin: 1440 },
    checkpoints: [{ at: '17:00', atMin: 1020, target: 0.8 }],
    curve: [], timeScale: 3600, viewers: { rate: [], mix: { progress: 1, hhcw: 0, wilayah: 0 } }, drainS: 5, ...o,
  };
}

/** Hits at a constant rate: arrival i at i/rate seconds. */
export function constantPlan(rate: number, durationMs: number, request: RequestKind, tpsCount = 0): Plan {
  const n = Math.floor((rate * durationMs) / 1000);
  const step = 1000 / rate;
  return {
    segment: { index: 1, count: 1 }, simOriginS: null, timeScale: 1, durationMs, officerCount: 0, officersByZone: { WIB: 0, WITA: 0, WIT: 0 },
    checkpoints: [],
    *arrivals(): Generator<Arrival> {
      for (let i = 0; i < n; i++) yield { atMs: i * step, kind: 'hit', tps: tpsCount > 0 ? i % tpsCount : -1, request };
    },
    simAt: () => null,
    describe: () => ({ buckets: [], bucketWidth: 'real 10 s', counts: { officers: 0, viewers: 0, hits: n }, checkpoints: [], peakPerS: rate, totalArrivals: n, durationMs }),
  };
}

/** Officer sessions for the given TPS indexes, evenly spread over `durationMs`, with checkpoints. */
export function officerPlan(h: Hierarchy, durationMs: number, checkpoints: PlanCheckpoint[] = [], count = h.totalTps): Plan {
  const byZone = { WIB: 0, WITA: 0, WIT: 0 };
  for (let i = 0; i < count; i++) byZone[h.zoneOf(i)]++;
  return {
    segment: { index: 1, count: 1 }, simOriginS: 13 * 3600, timeScale: 3600, durationMs, officerCount: count, officersByZone: byZone, checkpoints,
    *arrivals(): Generator<Arrival> {
      for (let i = 0; i < count; i++) yield { atMs: ((i + 0.5) * durationMs) / count, kind: 'officer', tps: i, request: null };
    },
    simAt: (ms) => 13 * 3600 + (ms / 1000) * 3600,
    describe: () => ({ buckets: [], bucketWidth: 'WIB hour', counts: { officers: count, viewers: 0, hits: 0 }, checkpoints, peakPerS: 0, totalArrivals: count, durationMs }),
  };
}

export function urlOf(app: FastifyInstance): string {
  const a = app.server.address() as AddressInfo;
  return `http://127.0.0.1:${a.port}`;
}

export const baritoUtara = (): Hierarchy => new Hierarchy({ election: 'pilkada-2024', scale: 1, seed: 1, regions: ['6205'] });
