/**
 * Reading the encoded HDR histograms of a result: the one place that knows the key names
 * (`<series>.latency`, `<series>.service`, `lag`) and how "all" is the sum of the series.
 */
import { addInto, decodeHistogram, newHistogram } from '../result/hdr.js';
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

/** Decodes and adds the histograms under these keys (missing keys count as empty). */
export function decodeSum(map: Record<string, string>, keys: readonly string[]): Histogram {
  const sum = newHistogram();
  for (const key of keys) {
    const encoded = map[key];
    if (encoded) addInto(sum, decodeHistogram(encoded));
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
