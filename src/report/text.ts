/**
 * The compact summary `ujibeban run` prints when it ends: the verdict first, then why, then the
 * numbers an operator checks (checkpoints, thresholds, latencies, request counts).
 */
import type { ResultV1, SeriesName } from '../result/types.js';
import { int, ms, pct, runLine, textTable, thresholdValue } from './format.js';

export function renderTextSummary(result: ResultV1): string {
  const lines: string[] = [];
  const verdict = result.pass ? 'PASS' : 'FAIL';
  lines.push(`${verdict}${result.partial ? ' (partial)' : ''}  ${runLine(result.meta)}`);
  for (const reason of result.failures) lines.push(`  x ${reason}`);

  if (result.checkpoints.length > 0) {
    lines.push('', 'checkpoints (share of TPS completed by local time)');
    lines.push(textTable(result.checkpoints.map((c) => [
      c.at, `target ${pct(c.target)}`, `achieved ${pct(c.achieved)}`, `${int(c.completed)}/${int(c.total)}`, c.pass ? 'ok' : 'FAIL',
    ])));
  }
  if (result.thresholds.length > 0) {
    lines.push('', 'thresholds');
    lines.push(textTable(result.thresholds.map((t) => [
      `${t.metric} ${t.expr}`, thresholdValue(t.expr, t.value), t.pass ? 'ok' : 'FAIL',
    ])));
  }
  const series = Object.entries(result.series) as Array<[SeriesName, NonNullable<ResultV1['series'][SeriesName]>]>;
  lines.push('', 'latency from intended send time');
  lines.push(textTable([
    ['series', 'requests', 'failed', 'p50', 'p95', 'p99', 'max'],
    ...series.map(([name, s]) => [
      name, int(s.requests.total), int(s.requests.failed), ms(s.latency_ms.p50), ms(s.latency_ms.p95), ms(s.latency_ms.p99), ms(s.latency_ms.max),
    ]),
    ['all', int(result.summary.requests.total), int(result.summary.requests.failed), ms(result.summary.latency_ms.p50),
      ms(result.summary.latency_ms.p95), ms(result.summary.latency_ms.p99), ms(result.summary.latency_ms.max)],
  ]));
  const r = result.summary.requests;
  const statuses = Object.entries(r.by_status).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}: ${int(v)}`).join(', ');
  lines.push('', `requests  ${int(r.total)} sent, ${int(r.ok)} ok, ${int(r.failed)} failed, ${int(r.dropped)} dropped` +
    (statuses ? `  (${statuses})` : ''));
  if (result.summary.tps.total > 0) {
    lines.push(`TPS       ${int(result.summary.tps.completed)}/${int(result.summary.tps.total)} completed (${pct(result.summary.tps.completed / result.summary.tps.total)})`);
  }
  lines.push(`lag       schedule lag p99 ${ms(result.summary.schedule_lag_ms.p99)}, max ${ms(result.summary.schedule_lag_ms.max)}`);
  return lines.join('\n') + '\n';
}
