/**
 * HDR histograms in microseconds: one builder so that every histogram in a run, a merge or a
 * report has the same precision, and the base64 codec result.json uses.
 */
import * as hdr from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';
import type { Percentiles } from './types.js';

export type { Histogram };

/** One hour in µs: the largest latency we expect; autoResize copes with more. */
const HIGHEST_US = 3_600_000_000;

export function newHistogram(): Histogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_US,
    numberOfSignificantValueDigits: 3,
    autoResize: true,
  });
}

export function encodeHistogram(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

export function decodeHistogram(base64: string): Histogram {
  const decoded = hdr.decodeFromCompressedBase64(base64);
  // Re-home into our builder so precision and resizing are the same everywhere.
  const h = newHistogram();
  h.add(decoded);
  return h;
}

/** Adds `from` into `into` (exact: HDR counts add). */
export function addInto(into: Histogram, from: Histogram): void {
  into.add(from);
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** Percentiles in milliseconds from a µs histogram (zeros when empty). */
export function percentilesMs(h: Histogram): Percentiles {
  const n = h.totalCount;
  if (n === 0) return { count: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 };
  const at = (p: number): number => round3(h.getValueAtPercentile(p) / 1000);
  return {
    count: n,
    mean: round3(h.mean / 1000),
    p50: at(50),
    p90: at(90),
    p95: at(95),
    p99: at(99),
    p999: at(99.9),
    max: round3(h.maxValue / 1000),
  };
}
