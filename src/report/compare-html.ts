/**
 * compare.html: the delta table plus the two runs overlaid on the same axes (completion, and
 * p99 per series), baseline dashed and grey-toned, current solid.
 */
import type { ResultV1, SeriesName } from '../result/types.js';
import { ZONES } from '../result/types.js';
import { chartContext, MAX_POINTS, SERIES_COLORS, xOf } from './charts.js';
import type { ChartContext, ChartSpec, LineSpec } from './charts.js';
import { buckets, maxOver } from './downsample.js';
import { lttbIndexes } from './lttb.js';
import type { Comparison } from './compare.js';
import { compareHeadline, formatDelta, formatValue } from './compare.js';
import { chartBlock, escapeHtml as e, page } from './template.js';

type Points = Map<number, number | null>;

/** Lines given as (x -> y) maps, aligned on the union of their x values. */
function overlay(lines: Points[]): Array<Array<number | null>> {
  const xs = [...new Set(lines.flatMap((l) => [...l.keys()]))].sort((a, b) => a - b);
  return [xs, ...lines.map((l) => xs.map((x) => (l.has(x) ? l.get(x)! : null)))];
}

function completionPoints(r: ResultV1, ctx: ChartContext): Points {
  const total = r.summary.tps.total;
  const tl = r.timeline;
  if (total === 0 || tl.length === 0) return new Map();
  const xs = [xOf(ctx, tl[0].t_s), ...tl.map((t) => xOf(ctx, t.t_s + r.meta.interval_s))];
  const ys = [0, ...tl.map((t) => (100 * ZONES.reduce((a, z) => a + (t.completed_cum[z] ?? 0), 0)) / total)];
  const keep = lttbIndexes(xs, ys, Math.floor(MAX_POINTS / 2));
  return new Map(keep.map((i) => [xs[i], Math.round(ys[i] * 1000) / 1000]));
}

function p99Points(r: ResultV1, ctx: ChartContext, name: SeriesName): Points {
  const tl = r.timeline;
  const raw = tl.map((t) => { const s = t.series[name]; return s && s.requests > 0 && s.p99 > 0 ? s.p99 : null; });
  return new Map(buckets(tl.length, Math.floor(MAX_POINTS / 2)).map((b) => [xOf(ctx, tl[b.start].t_s), maxOver(raw, b)]));
}

/** Both runs on one x axis: simulated WIB time when both have it, else real seconds. */
function sharedContexts(baseline: ResultV1, current: ResultV1): [ChartContext, ChartContext] {
  const b = chartContext(baseline);
  const c = chartContext(current);
  if (b.xKind === 'sim' && c.xKind === 'sim') return [b, c];
  return [{ ...b, xKind: 'real' }, { ...c, xKind: 'real' }];
}

export function compareCharts(baseline: ResultV1, current: ResultV1): { ctx: ChartContext; charts: ChartSpec[] } {
  const [bctx, cctx] = sharedContexts(baseline, current);
  const charts: ChartSpec[] = [];
  if (baseline.summary.tps.total > 0 || current.summary.tps.total > 0) {
    charts.push({
      id: 'chart-compare-completion',
      title: 'Completion: baseline vs current',
      note: 'Cumulative % of all TPS fully uploaded. Baseline dashed, current solid.',
      x: cctx.xKind, unit: 'pct', yRange: [0, 100],
      lines: [
        { label: 'baseline', color: '#868e96', width: 2, dash: [6, 4], spanGaps: true },
        { label: 'current', color: '#212529', width: 2.5, spanGaps: true },
      ],
      data: overlay([completionPoints(baseline, bctx), completionPoints(current, cctx)]),
    });
  }
  const names = [...new Set([...Object.keys(baseline.series), ...Object.keys(current.series)])] as SeriesName[];
  if (names.length > 0 && (baseline.timeline.length > 0 || current.timeline.length > 0)) {
    const lines: LineSpec[] = [];
    const points: Points[] = [];
    for (const n of names) {
      lines.push({ label: `${n} p99 baseline`, color: SERIES_COLORS[n] ?? '#495057', width: 1.5, dash: [6, 4], spanGaps: true });
      points.push(p99Points(baseline, bctx, n));
      lines.push({ label: `${n} p99 current`, color: SERIES_COLORS[n] ?? '#495057', width: 2, spanGaps: true });
      points.push(p99Points(current, cctx, n));
    }
    charts.push({
      id: 'chart-compare-p99',
      title: 'Latency p99 over time: baseline vs current',
      note: 'p99 from intended send time per interval and series (worst interval per point when downsampled). Log scale. Baseline dashed.',
      x: cctx.xKind, unit: 'ms', yLog: true, lines, data: overlay(points),
    });
  }
  return { ctx: cctx, charts };
}

export function renderCompareHtml(c: Comparison, baseline: ResultV1, current: ResultV1): string {
  const { ctx, charts } = compareCharts(baseline, current);
  const rows = c.rows.map((r) => `<tr class="${r.regression ? 'fail' : ''}"><td>${e(r.name)}</td>
  <td class="num">${e(formatValue(r.unit, r.baseline))}</td><td class="num">${e(formatValue(r.unit, r.current))}</td>
  <td class="num">${e(formatDelta(r))}</td><td>${r.regression ? `<span class="badge fail">REGRESSED</span> ${e(r.reason ?? '')}` : ''}</td></tr>`).join('\n');
  const rules = c.rules;
  const body = `<header><h1>ujibeban compare</h1>
<p class="sub">baseline: ${e(c.baseline.label)} (${c.baseline.pass ? 'PASS' : 'FAIL'})<br>current: ${e(c.current.label)} (${c.current.pass ? 'PASS' : 'FAIL'})</p></header>
<section class="verdict ${c.regressed ? 'fail' : 'pass'}" id="compare-verdict"><span class="word">${c.regressed ? 'REGRESSION' : 'OK'}</span> ${e(compareHeadline(c))}
${c.regressions.length ? `<ul>${c.regressions.map((r) => `<li>${e(r.name)}: ${e(r.reason ?? '')}</li>`).join('')}</ul>` : ''}
${c.warnings.length ? `<ul>${c.warnings.map((w) => `<li>warning: ${e(w)}</li>`).join('')}</ul>` : ''}</section>
<div class="charts">${charts.map(chartBlock).join('')}</div>
<h2>Deltas</h2>
<table id="compare-rows"><thead><tr><th>Measure</th><th class="num">Baseline</th><th class="num">Current</th><th class="num">Delta</th><th>Verdict</th></tr></thead><tbody>${rows}</tbody></table>
<p class="sub">Rules: p99 worse by more than ${rules.maxP99IncreasePct}% and ${rules.minP99IncreaseMs} ms; error rate up more than ${rules.maxErrorRateIncreasePp} pp;
checkpoint down more than ${rules.maxCheckpointDropPp} pp or pass to fail; achieved throughput down more than ${rules.maxThroughputDropPct}%;
p99 judged only with at least ${rules.minSamples} requests on both sides.</p>`;
  return page({ title: `${c.regressed ? 'REGRESSION' : 'OK'} · ujibeban compare`, body, data: { ctx, charts } });
}
