/**
 * Interval percentiles in one pass over the histogram's counts. hdr-histogram-js computes
 * each percentile (and the mean) with its own walk from the first bucket: seven walks of
 * ~10k buckets per closed interval held the event loop for 1-3 ms, which showed as schedule
 * lag of the arrivals due meanwhile. Same formulas, same summation order: the results equal
 * src/result/hdr.ts percentilesMs exactly (tests/loadgen/percentiles.test.ts).
 */
import { percentilesMs, type Histogram } from '../../src/result/hdr.js';
import type { Percentiles } from '../../src/result/types.js';

/** The JsHistogram internals the walk needs (absent on the WebAssembly build: fall back). */
interface JsHistogramWalk {
  countsArrayLength: number;
  getCountAtIndex(i: number): number;
  valueFromIndex(i: number): number;
  highestEquivalentValue(v: number): number;
  medianEquivalentValue(v: number): number;
}

const PS = [50, 90, 95, 99, 99.9] as const;
const ulp = (x: number): number => Math.pow(2, Math.floor(Math.log2(x)) - 52);
const round3 = (x: number): number => Math.round(x * 1000) / 1000;

export function fastPercentilesMs(h: Histogram): Percentiles {
  const w = h as unknown as JsHistogramWalk;
  const n = h.totalCount;
  if (n === 0 || typeof w.getCountAtIndex !== 'function' || typeof w.countsArrayLength !== 'number') return percentilesMs(h);
  // Count thresholds exactly as JsHistogram.getValueAtPercentile computes them.
  const need = PS.map((p) => {
    const fp = (p / 100) * n;
    return Math.max(Math.ceil(fp - ulp(fp)), 1);
  });
  const out = [0, 0, 0, 0, 0];
  let k = 0;
  let seen = 0;
  let sum = 0;
  const len = w.countsArrayLength;
  for (let i = 0; i < len; i++) {
    const c = w.getCountAtIndex(i);
    if (c === 0) continue;
    const v = w.valueFromIndex(i);
    seen += c;
    sum += w.medianEquivalentValue(v) * c;
    while (k < need.length && seen >= need[k]) out[k++] = w.highestEquivalentValue(v);
    if (seen >= n) break;
  }
  return {
    count: n,
    mean: round3(sum / n / 1000),
    p50: round3(out[0] / 1000),
    p90: round3(out[1] / 1000),
    p95: round3(out[2] / 1000),
    p99: round3(out[3] / 1000),
    p999: round3(out[4] / 1000),
    max: round3(h.maxValue / 1000),
  };
}
