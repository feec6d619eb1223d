/**
 * Reading the encoded HDR histograms of a result: the one place that knows the key names
 * (`<series>.latency`, `<series>.service`, `lag`) and how "all" is the sum of the series.
 */
import * as hdr from 'hdr-histogram-js';
import { newHistogram } from '../result/hdr.js';
import type { Histogram } from '../result/hdr.js';

export type HistogramKind = 'latency' | 'service';

export function histogramKey(series: string, kind: HistogramKind): string {
  return `${series}.${kind}`;
}

/** Series that have a histogram of this kind in an encoded map, in stable order. */
export function seriesWith(map: Record<string, string>, kind: HistogramKind): string[] {
  const suffix = `.${kind}`;
  return Object.keys(map).filter((k) => k.endsWith(suffix)).map((k) => k.slice(0, -suffix.length)).sort();
}

/**
 * Decodes one encoded histogram and adds it into `into` (exact: HDR counts add). Same result as
 * `addInto(into, decodeHistogram(b64))` from result/hdr.ts, without building a full-range
 * histogram per decode, which is what makes merging thousands of intervals slow.
 */
export function addEncoded(into: Histogram, base64: string): void {
  into.add(hdr.decodeFromCompressedBase64(base64, 32, false));
}

/** Decodes and adds the histograms under these keys (missing keys count as empty). */
export function decodeSum(map: Record<string, string>, keys: readonly string[]): Histogram {
  const sum = newHistogram();
  for (const key of keys) {
    const encoded = map[key];
    if (encoded) addEncoded(sum, encoded);
  }
  return sum;
}

/** The latency (or service) histogram of one series, or of all series for "all". */
export function metricHistogram(map: Record<string, string>, metric: string, kind: HistogramKind): Histogram {
  const series = metric === 'all' ? seriesWith(map, kind) : [metric];
  return decodeSum(map, series.map((s) => histogramKey(s, kind)));
}

/** A `percentileMs` callback for thresholds, decoding lazily and once per metric. */
export function percentileSource(map: Record<string, string>): (metric: string, p: number) => number | undefined {
  const cache = new Map<string, Histogram>();
  return (metric, p) => {
    let h = cache.get(metric);
    if (!h) {
      h = metricHistogram(map, metric, 'latency');
      cache.set(metric, h);
    }
    if (h.totalCount === 0) return undefined;
    return Math.round(h.getValueAtPercentile(p)) / 1000;
  };
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * The four percentiles a timeline interval carries, in ms, rounded like `percentilesMs`.
 * Skips the mean on purpose: hdr-histogram-js computes it by iterating every bucket, which
 * dominates the cost when there are thousands of intervals.
 */
export function intervalPercentilesMs(h: Histogram): { p50: number; p90: number; p99: number; max: number } {
  if (h.totalCount === 0) return { p50: 0, p90: 0, p99: 0, max: 0 };
  const at = (p: number): number => round3(h.getValueAtPercentile(p) / 1000);
  return { p50: at(50), p90: at(90), p99: at(99), max: round3(h.maxValue / 1000) };
}
