/**
 * k6-style threshold expressions, parsed once and evaluated against a summary. The run engine
 * and `merge` both use this file, so a threshold means the same thing wherever it is judged.
 *
 * Grammar: `<aggregate> <op> <number>` where
 *   aggregate = p(N) | avg | med | max | rate | rate(errors) | rate(dropped)
 *             | count | count(errors) | count(dropped)
 *   op        = < | <= | > | >= | == | !=
 * Latency aggregates are in milliseconds, measured from the intended send time.
 * `rate` alone is the error rate (failed / sent), as most scenario authors mean it.
 * The metric is a series name ("upload", "login", "read") or "all".
 */
import { SERIES } from '../result/types.js';
import type { Percentiles, RequestCounts, ThresholdResult } from '../result/types.js';

export type Comparator = '<' | '<=' | '>' | '>=' | '==' | '!=';

export type Aggregate =
  | { kind: 'percentile'; p: number }
  | { kind: 'avg' }
  | { kind: 'max' }
  | { kind: 'rate'; of: 'errors' | 'dropped' }
  | { kind: 'count'; of: 'requests' | 'errors' | 'dropped' };

export interface ParsedThreshold {
  expr: string;
  aggregate: Aggregate;
  op: Comparator;
  limit: number;
}

/** What a threshold reads: the run totals and per-series totals (a ResultV1 fits). */
export interface ThresholdSource {
  summary: { requests: Pick<RequestCounts, 'total' | 'failed' | 'dropped'>; latency_ms: Percentiles };
  series: Partial<Record<string, { requests: Pick<RequestCounts, 'total' | 'failed' | 'dropped'>; latency_ms: Percentiles }>>;
  /**
   * Any latency percentile (ms) for `p(N)` that the summary does not carry (e.g. p(75)).
   * Undefined when the metric has no histogram.
   */
  percentileMs?: (metric: string, p: number) => number | undefined;
}

export interface ThresholdSpec { metric: string; expr: string }

const EXPECTED =
  'expected "<aggregate><op><number>", e.g. "p(99)<5000", "avg<200", "max<=30000", ' +
  '"rate(errors)<0.01", "count<1000"; aggregates: p(N), avg, med, max, rate, rate(errors), ' +
  'rate(dropped), count, count(errors), count(dropped); operators: < <= > >= == !=';

/** aggregate, operator, limit: loose here so that each part gets its own precise complaint. */
const SHAPE = /^\s*([^<>=!]*?)\s*(<=|>=|==|!=|<|>)\s*(.*?)\s*$/;
const NUMBER = /^-?\d+(?:\.\d+)?(?:e[+-]?\d+)?$/i;

export function parseThreshold(expr: string): ParsedThreshold {
  const m = SHAPE.exec(expr);
  if (!m || m[1] === '') throw new Error(`threshold "${expr}": ${EXPECTED}`);
  const aggregate = parseAggregate(m[1].replace(/\s+/g, '').toLowerCase(), expr);
  if (!NUMBER.test(m[3])) throw new Error(`threshold "${expr}": limit "${m[3]}" is not a number; ${EXPECTED}`);
  return { expr, aggregate, op: m[2] as Comparator, limit: Number(m[3]) };
}

function parseAggregate(text: string, expr: string): Aggregate {
  switch (text) {
    case 'avg': return { kind: 'avg' };
    case 'med': return { kind: 'percentile', p: 50 };
    case 'max': return { kind: 'max' };
    case 'rate': case 'rate(errors)': return { kind: 'rate', of: 'errors' };
    case 'rate(dropped)': return { kind: 'rate', of: 'dropped' };
    case 'count': return { kind: 'count', of: 'requests' };
    case 'count(errors)': return { kind: 'count', of: 'errors' };
    case 'count(dropped)': return { kind: 'count', of: 'dropped' };
  }
  const p = /^p\((\d+(?:\.\d+)?)\)$/.exec(text);
  if (p) {
    const value = Number(p[1]);
    if (value > 0 && value <= 100) return { kind: 'percentile', p: value };
    throw new Error(`threshold "${expr}": percentile ${p[1]} is out of range, expected 0 < N <= 100`);
  }
  throw new Error(`threshold "${expr}": unknown aggregate "${text}"; ${EXPECTED}`);
}

/** Percentiles a summary carries, by their p(N) number. */
const SUMMARY_PERCENTILES: Array<[number, keyof Percentiles]> = [
  [50, 'p50'], [90, 'p90'], [95, 'p95'], [99, 'p99'], [99.9, 'p999'], [100, 'max'],
];

/** The observed value a parsed threshold compares with its limit. */
export function observedValue(source: ThresholdSource, metric: string, parsed: ParsedThreshold): number {
  const totals = metricTotals(source, metric, parsed.expr);
  const { requests, latency_ms } = totals;
  const a = parsed.aggregate;
  switch (a.kind) {
    case 'avg': return latency_ms.mean;
    case 'max': return latency_ms.max;
    case 'count':
      return a.of === 'requests' ? requests.total : a.of === 'errors' ? requests.failed : requests.dropped;
    case 'rate':
      if (a.of === 'errors') return requests.total > 0 ? requests.failed / requests.total : 0;
      return requests.total + requests.dropped > 0 ? requests.dropped / (requests.total + requests.dropped) : 0;
    case 'percentile': {
      const known = SUMMARY_PERCENTILES.find(([p]) => p === a.p);
      if (known) return latency_ms[known[1]];
      if (latency_ms.count === 0) return 0;
      const value = source.percentileMs?.(metric, a.p);
      if (value === undefined) {
        throw new Error(`threshold "${parsed.expr}" on "${metric}": p(${a.p}) needs the latency histogram, ` +
          'which this result does not carry; use p(50), p(90), p(95), p(99) or p(99.9)');
      }
      return value;
    }
  }
}

function metricTotals(source: ThresholdSource, metric: string, expr: string) {
  if (metric === 'all') return source.summary;
  const series = source.series[metric];
  if (series) return series;
  if ((SERIES as readonly string[]).includes(metric)) return EMPTY_SERIES; // a known series with no traffic
  throw new Error(`threshold "${expr}": unknown metric "${metric}", expected "all" or one of ${SERIES.join(', ')}`);
}

const EMPTY_SERIES = {
  requests: { total: 0, failed: 0, dropped: 0 },
  latency_ms: { count: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 },
};

export function compare(value: number, op: Comparator, limit: number): boolean {
  switch (op) {
    case '<': return value < limit;
    case '<=': return value <= limit;
    case '>': return value > limit;
    case '>=': return value >= limit;
    case '==': return value === limit;
    case '!=': return value !== limit;
  }
}

export function evaluateThreshold(source: ThresholdSource, spec: ThresholdSpec): ThresholdResult {
  const parsed = parseThreshold(spec.expr);
  const value = observedValue(source, spec.metric, parsed);
  return { metric: spec.metric, expr: spec.expr, value, pass: compare(value, parsed.op, parsed.limit) };
}

export function evaluateThresholds(source: ThresholdSource, specs: readonly ThresholdSpec[]): ThresholdResult[] {
  return specs.map((spec) => evaluateThreshold(source, spec));
}
