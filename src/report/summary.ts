/**
 * Markdown for a CI job summary ($GITHUB_STEP_SUMMARY): the verdict and the reasons at the top,
 * tables below, so a reviewer sees in one screen whether the nightly run held.
 */
import type { ResultV1, SeriesName } from '../result/types.js';
import { duration, int, ms, pct, runLine, thresholdValue } from './format.js';

/** Escapes the characters that break a Markdown table cell or inline formatting. */
export function mdCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/([<>*_`])/g, '\\$1').replace(/\r?\n/g, ' ');
}

export function mdTable(header: string[], rows: string[][], align?: Array<'l' | 'r'>): string {
  const sep = header.map((_, i) => ((align?.[i] ?? 'l') === 'r' ? '---:' : '---'));
  return [header, sep, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

export function renderSummaryMarkdown(result: ResultV1): string {
  const out: string[] = [];
  const icon = result.pass ? '✅' : '❌';
  out.push(`## ${icon} ujibeban: ${result.pass ? 'PASS' : 'FAIL'}${result.partial ? ' (partial)' : ''}`);
  out.push('', mdCell(runLine(result.meta)) + ` · target ${mdCell(result.meta.target)} · ${duration(result.summary.duration_s)}`);
  if (result.failures.length > 0) {
    out.push('', '**Why it failed**', '', ...result.failures.map((f) => `- ${mdCell(f)}`));
  }
  if (result.checkpoints.length > 0) {
    out.push('', '### Checkpoints (share of TPS completed by local time)', '');
    out.push(mdTable(['At', 'Target', 'Achieved', 'TPS', 'Result'], result.checkpoints.map((c) => [
      c.at, pct(c.target), pct(c.achieved), `${int(c.completed)} / ${int(c.total)}`, c.pass ? '✅ pass' : '❌ fail',
    ]), ['l', 'r', 'r', 'r', 'l']));
  }
  if (result.thresholds.length > 0) {
    out.push('', '### Thresholds', '');
    out.push(mdTable(['Metric', 'Expression', 'Observed', 'Result'], result.thresholds.map((t) => [
      mdCell(t.metric), `\`${t.expr.replace(/`/g, "'")}\``, thresholdValue(t.expr, t.value), t.pass ? '✅ pass' : '❌ fail',
    ]), ['l', 'l', 'r', 'l']));
  }
  const series = Object.entries(result.series) as Array<[SeriesName, NonNullable<ResultV1['series'][SeriesName]>]>;
  out.push('', '### Latency from intended send time', '');
  out.push(mdTable(['Series', 'Requests', 'p50', 'p90', 'p95', 'p99', 'max'], [
    ...series.map(([name, s]) => [name, int(s.latency_ms.count), ms(s.latency_ms.p50), ms(s.latency_ms.p90), ms(s.latency_ms.p95), ms(s.latency_ms.p99), ms(s.latency_ms.max)]),
    ['**all**', int(result.summary.latency_ms.count), ms(result.summary.latency_ms.p50), ms(result.summary.latency_ms.p90),
      ms(result.summary.latency_ms.p95), ms(result.summary.latency_ms.p99), ms(result.summary.latency_ms.max)],
  ], ['l', 'r', 'r', 'r', 'r', 'r', 'r']));
  const r = result.summary.requests;
  out.push('', '### Requests', '');
  out.push(mdTable(['Sent', 'OK', 'Failed', 'Dropped', 'Error rate', 'By status'], [[
    int(r.total), int(r.ok), int(r.failed), int(r.dropped), pct(r.total > 0 ? r.failed / r.total : 0, 2),
    Object.entries(r.by_status).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${mdCell(k)}: ${int(v)}`).join(', ') || '-',
  ]], ['r', 'r', 'r', 'r', 'r', 'l']));
  if (result.summary.tps.total > 0) {
    out.push('', `TPS completed: **${int(result.summary.tps.completed)} / ${int(result.summary.tps.total)}** ` +
      `(${pct(result.summary.tps.completed / result.summary.tps.total)}) · schedule lag p99 ${ms(result.summary.schedule_lag_ms.p99)}`);
  }
  return out.join('\n') + '\n';
}
