/**
 * Baseline vs current: the deltas a nightly job gates on. A regression needs both a relative
 * and (for latency) an absolute change, so that noise on a 3 ms p99 does not page anyone.
 * Defaults are overridable per rule; `ujibeban compare` exits 99 when any row regressed. A p99 over fewer than `minSamples` requests is shown, never judged.
 */
import type { Percentiles, RequestCounts, ResultV1, SeriesName } from '../result/types.js';
import { ms, pct, runLine, textTable } from './format.js';
import { mdCell, mdTable } from './summary.js';

export interface CompareRules {
  /** p99 (per series and overall) worse by more than this many percent... */
  maxP99IncreasePct: number;
  /** ...and by more than this many milliseconds. */
  minP99IncreaseMs: number;
  /** Error rate (failed / sent) up by more than this many percentage points. */
  maxErrorRateIncreasePp: number;
  /** A checkpoint's achieved share down by more than this many percentage points (or pass -> fail). */
  maxCheckpointDropPp: number;
  /** Achieved throughput (responses per second) down by more than this many percent. */
  maxThroughputDropPct: number;
  /** p99 of fewer requests than this (on either side) is shown but does not gate: it is mostly noise. */
  minSamples: number;
}

export const DEFAULT_RULES: CompareRules = {
  maxP99IncreasePct: 10,
  minP99IncreaseMs: 5,
  maxErrorRateIncreasePp: 0.5,
  maxCheckpointDropPp: 1,
  maxThroughputDropPct: 10,
  minSamples: 100,
};

export type RowUnit = 'share' | 'ms' | 'per_s';

export interface CompareRow {
  group: 'checkpoint' | 'latency' | 'errors' | 'throughput';
  /** e.g. "17:00 achieved", "upload p99", "error rate (all)". */
  name: string;
  unit: RowUnit;
  baseline: number | null;
  current: number | null;
  /** current - baseline (null when either side is missing). */
  delta: number | null;
  /** Relative change in percent (null when the baseline is 0 or missing). */
  deltaPct: number | null;
  regression: boolean;
  /** Why this row is a regression, in words. */
  reason?: string;
}

export interface Comparison {
  rules: CompareRules;
  rows: CompareRow[];
  regressions: CompareRow[];
  regressed: boolean;
  /** Things that make the comparison less meaningful (different scenario, partial run...). */
  warnings: string[];
  baseline: { label: string; pass: boolean };
  current: { label: string; pass: boolean };
}

function row(group: CompareRow['group'], name: string, unit: RowUnit, baseline: number | null, current: number | null): CompareRow {
  const delta = baseline !== null && current !== null ? current - baseline : null;
  const deltaPct = delta !== null && baseline ? (100 * delta) / Math.abs(baseline) : null;
  return { group, name, unit, baseline, current, delta, deltaPct, regression: false };
}

function flag(r: CompareRow, reason: string): void {
  r.regression = true;
  r.reason = reason;
}

/** A measure's name with its baseline and current values (undefined when a side lacks it). */
type Pair<T> = [name: string, baseline: T | undefined, current: T | undefined];

const errorRate = (c: { total: number; failed: number }): number => (c.total > 0 ? c.failed / c.total : 0);

function seriesOf(r: ResultV1): string[] {
  return Object.keys(r.series);
}

export function compareResults(baseline: ResultV1, current: ResultV1, rules: Partial<CompareRules> = {}): Comparison {
  const rl: CompareRules = { ...DEFAULT_RULES, ...rules };
  const rows: CompareRow[] = [];
  const warnings: string[] = [];
  if (baseline.meta.scenario !== current.meta.scenario) warnings.push(`different scenarios: ${baseline.meta.scenario} vs ${current.meta.scenario}`);
  if (baseline.meta.scale !== current.meta.scale) warnings.push(`different scales: ${baseline.meta.scale} vs ${current.meta.scale}`);
  if (baseline.partial) warnings.push('the baseline is a partial result');
  if (current.partial) warnings.push('the current result is partial');

  // Goodput first: completion at each checkpoint of the baseline.
  for (const b of baseline.checkpoints) {
    const c = current.checkpoints.find((x) => x.at === b.at);
    const r = row('checkpoint', `${b.at} achieved`, 'share', b.achieved, c ? c.achieved : null);
    if (!c) warnings.push(`checkpoint ${b.at} is missing from the current result`);
    else if (b.pass && !c.pass) flag(r, `checkpoint ${b.at} passed in the baseline and fails now (${pct(c.achieved)} < target ${pct(c.target)})`);
    else if (r.delta! < -rl.maxCheckpointDropPp / 100 - 1e-12) flag(r, `down ${(-r.delta! * 100).toFixed(1)} pp (limit ${rl.maxCheckpointDropPp} pp)`);
    rows.push(r);
  }

  const names = [...new Set([...seriesOf(baseline), ...seriesOf(current)])] as SeriesName[];
  const latencyTargets: Array<Pair<Percentiles>> = [
    ...names.map((n): Pair<Percentiles> => [n, baseline.series[n]?.latency_ms, current.series[n]?.latency_ms]),
    ['all', baseline.summary.latency_ms, current.summary.latency_ms],
  ];
  for (const [name, b, c] of latencyTargets) {
    for (const p of ['p50', 'p95', 'p99'] as const) {
      const r = row('latency', `${name} ${p}`, 'ms', b && b.count > 0 ? b[p] : null, c && c.count > 0 ? c[p] : null);
      const enough = Math.min(b?.count ?? 0, c?.count ?? 0) >= rl.minSamples;
      if (p === 'p99' && enough && r.delta !== null && r.deltaPct !== null &&
          r.deltaPct > rl.maxP99IncreasePct && r.delta > rl.minP99IncreaseMs) {
        flag(r, `p99 up ${r.deltaPct.toFixed(1)}% (+${ms(r.delta)}); limit ${rl.maxP99IncreasePct}% and ${rl.minP99IncreaseMs} ms`);
      }
      rows.push(r);
    }
  }

  const errorTargets: Array<Pair<RequestCounts>> = [
    ...names.map((n): Pair<RequestCounts> => [n, baseline.series[n]?.requests, current.series[n]?.requests]),
    ['all', baseline.summary.requests, current.summary.requests],
  ];
  for (const [name, b, c] of errorTargets) {
    const r = row('errors', `error rate (${name})`, 'share', b ? errorRate(b) : null, c ? errorRate(c) : null);
    if (r.delta !== null && r.delta > rl.maxErrorRateIncreasePp / 100 + 1e-12) {
      flag(r, `error rate up ${(r.delta * 100).toFixed(2)} pp (limit ${rl.maxErrorRateIncreasePp} pp)`);
    }
    rows.push(r);
  }

  const tp = row('throughput', 'achieved throughput', 'per_s', baseline.summary.rate.achieved_per_s, current.summary.rate.achieved_per_s);
  if (tp.deltaPct !== null && tp.deltaPct < -rl.maxThroughputDropPct) flag(tp, `throughput down ${(-tp.deltaPct).toFixed(1)}% (limit ${rl.maxThroughputDropPct}%)`);
  rows.push(tp);
  rows.push(row('throughput', 'offered throughput', 'per_s', baseline.summary.rate.offered_per_s, current.summary.rate.offered_per_s));

  const few = latencyTargets.filter(([, b, c]) => Math.min(b?.count ?? 0, c?.count ?? 0) < rl.minSamples && Math.max(b?.count ?? 0, c?.count ?? 0) > 0);
  if (few.length > 0) {
    warnings.push(`p99 not judged for ${few.map(([n]) => n).join(', ')}: fewer than ${rl.minSamples} requests on one side`);
  }
  const regressions = rows.filter((r) => r.regression);
  return {
    rules: rl,
    rows,
    regressions,
    regressed: regressions.length > 0,
    warnings,
    baseline: { label: `${runLine(baseline.meta)} · ${baseline.meta.started_at}`, pass: baseline.pass },
    current: { label: `${runLine(current.meta)} · ${current.meta.started_at}`, pass: current.pass },
  };
}

export function formatValue(unit: RowUnit, v: number | null): string {
  if (v === null) return '-';
  if (unit === 'share') return pct(v, 2);
  if (unit === 'ms') return ms(v);
  return `${v.toFixed(2)}/s`;
}

export function formatDelta(r: CompareRow): string {
  if (r.delta === null) return '-';
  const sign = r.delta > 0 ? '+' : r.delta < 0 ? '-' : '±';
  const abs = Math.abs(r.delta);
  const main = r.unit === 'share' ? `${sign}${(abs * 100).toFixed(2)} pp` : r.unit === 'ms' ? `${sign}${ms(abs)}` : `${sign}${abs.toFixed(2)}/s`;
  return r.unit !== 'share' && r.deltaPct !== null ? `${main} (${r.deltaPct >= 0 ? '+' : ''}${r.deltaPct.toFixed(1)}%)` : main;
}

export function compareHeadline(c: Comparison): string {
  return c.regressed ? `REGRESSION: ${c.regressions.length} of ${c.rows.length} measures got worse beyond the rules` : 'NO REGRESSION';
}

export function renderCompareText(c: Comparison): string {
  const lines = [compareHeadline(c), `  baseline: ${c.baseline.label} (${c.baseline.pass ? 'PASS' : 'FAIL'})`,
    `  current:  ${c.current.label} (${c.current.pass ? 'PASS' : 'FAIL'})`];
  for (const w of c.warnings) lines.push(`  warning: ${w}`);
  for (const r of c.regressions) lines.push(`  x ${r.name}: ${r.reason}`);
  lines.push('');
  lines.push(textTable([
    ['measure', 'baseline', 'current', 'delta', ''],
    ...c.rows.map((r) => [r.name, formatValue(r.unit, r.baseline), formatValue(r.unit, r.current), formatDelta(r), r.regression ? 'REGRESSED' : '']),
  ]));
  return lines.join('\n') + '\n';
}

export function renderCompareMarkdown(c: Comparison): string {
  const out = [`## ${c.regressed ? '❌' : '✅'} ujibeban compare: ${compareHeadline(c)}`, '',
    `- baseline: ${mdCell(c.baseline.label)} (${c.baseline.pass ? 'PASS' : 'FAIL'})`,
    `- current: ${mdCell(c.current.label)} (${c.current.pass ? 'PASS' : 'FAIL'})`];
  for (const w of c.warnings) out.push(`- ⚠️ ${mdCell(w)}`);
  if (c.regressions.length > 0) {
    out.push('', '**Regressions**', '', ...c.regressions.map((r) => `- ${mdCell(r.name)}: ${mdCell(r.reason ?? '')}`));
  }
  out.push('', mdTable(['Measure', 'Baseline', 'Current', 'Delta', ''], c.rows.map((r) => [
    mdCell(r.name), formatValue(r.unit, r.baseline), formatValue(r.unit, r.current), mdCell(formatDelta(r)), r.regression ? '❌' : '',
  ]), ['l', 'r', 'r', 'r', 'l']));
  return out.join('\n') + '\n';
}

export { renderCompareHtml } from './compare-html.js';
