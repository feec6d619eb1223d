/**
 * A constant-rate plan of progress reads, built by hand: benches measure the engine, so they
 * feed it the simplest possible arrival stream (hit j at j/rate s) with no plan machinery.
 */
import type { Arrival, Plan } from '../../loadgen/plan/types.js';

export function constantReadPlan(rate: number, durationMs: number): Plan {
  const n = Math.floor((rate * durationMs) / 1000);
  const step = 1000 / rate;
  return {
    segment: { index: 1, count: 1 }, simOriginS: null, timeScale: 1, durationMs, officerCount: 0,
    officersByZone: { WIB: 0, WITA: 0, WIT: 0 }, checkpoints: [],
    *arrivals(): Generator<Arrival> {
      for (let i = 0; i < n; i++) yield { atMs: i * step, kind: 'hit', tps: -1, request: 'read:progress' };
    },
    simAt: () => null,
    describe: () => ({ buckets: [], bucketWidth: 'real 10 s', counts: { officers: 0, viewers: 0, hits: n }, checkpoints: [], peakPerS: rate, totalArrivals: n, durationMs }),
  };
}
