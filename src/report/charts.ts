/**
 * From a result to chart specs: plain JSON (x values, one array per line, markers) that the
 * page's small script hands to uPlot. All the judgement (which lines, which units, how to
 * downsample) happens here, in testable TypeScript; the browser only draws.
 */
import type { ResultV1, SeriesName, TimelineInterval, ZoneName } from '../result/types.js';
import { ZONES } from '../result/types.js';
import { buckets, maxOver, sumOver } from './downsample.js';
import type { Bucket } from './downsample.js';
import { metricHistogram, seriesWith } from './histograms.js';
import { lttbIndexes } from './lttb.js';

/** Points per chart: enough for a laptop screen, small enough for a 5 MB national report. */
export const MAX_POINTS = 1500;

/** x: simulated WIB seconds, real seconds since plan origin, or 1/(1-q) for percentile plots. */
export type XKind = 'sim' | 'real' | 'nines';
export type Unit = 'pct' | 'ms' | 'per_s';

export interface LineSpec {
  label: string; color: string; width?: number; dash?: number[];
  /** Connect across missing points (overlaid runs on a union x grid). */
  spanGaps?: boolean;
}
export interface MarkerSpec {
  x: number; y: number; color: string; shape: 'diamond' | 'circle';
  /** Full description (tooltip-like, in the title attribute list) and the few words drawn beside it. */
  label: string; short: string;
}

export interface ChartSpec {
  id: string;
  title: string;
  /** One sentence under the title: what the line means, and whether it was downsampled. */
  note: string;
  x: XKind;
  unit: Unit;
  yLog?: boolean;
  yRange?: [number, number];
  xRange?: [number, number];
  lines: LineSpec[];
  /** [x, line1, line2, ...], aligned. */
  data: Array<Array<number | null>>;
  markers?: MarkerSpec[];
}

export interface ChartContext {
  xKind: 'sim' | 'real';
  /** Simulated seconds at real t = 0 (null for executor runs). */
  simOrigin: number | null;
  timeScale: number;
  intervalS: number;
}

export const ZONE_COLORS: Record<ZoneName, string> = { WIB: '#1f6feb', WITA: '#d9480f', WIT: '#2b8a3e' };
export const SERIES_COLORS: Record<string, string> = { login: '#7048e8', upload: '#c92a2a', read: '#0c8599', all: '#212529' };
const PERCENTILE_LINES: Array<{ key: 'p50' | 'p90' | 'p99' | 'max'; color: string; dash?: number[] }> = [
  { key: 'p50', color: '#2b8a3e' }, { key: 'p90', color: '#1f6feb' }, { key: 'p99', color: '#c92a2a' }, { key: 'max', color: '#868e96', dash: [4, 3] },
];
const PALETTE = ['#c92a2a', '#e67700', '#7048e8', '#0c8599', '#5c940d', '#d6336c', '#1f6feb', '#495057', '#862e9c', '#a61e4d'];
const ZONE_OFFSET_H: Record<ZoneName, number> = { WIB: 0, WITA: 1, WIT: 2 };

/** Observed Pilkada 2024 national progress (KPU Sirekap), for a sense of scale. */
export const PILKADA_2024_OBSERVED = [
  { atWibS: 19 * 3600, share: 0.818, label: 'Pilkada 2024 observed: 81.8% at 19:00 WIB' },
  { atWibS: 24 * 3600, share: 0.9, label: 'Pilkada 2024 observed: 90% at 24:00 WIB' },
];

const r3 = (v: number): number => Math.round(v * 1000) / 1000;

export function chartContext(result: ResultV1): ChartContext {
  const sim = result.meta.sim_origin_s !== null && result.timeline.every((t) => t.sim_s !== null);
  return { xKind: sim ? 'sim' : 'real', simOrigin: result.meta.sim_origin_s, timeScale: result.meta.time_scale, intervalS: result.meta.interval_s };
}

/** x of a real time (seconds since plan origin) in the chart's axis. */
export function xOf(ctx: ChartContext, realS: number): number {
  return ctx.xKind === 'sim' ? r3(ctx.simOrigin! + realS * ctx.timeScale) : r3(realS);
}

/** "17:00" local in a zone -> simulated WIB seconds. */
export function localToWibS(at: string, zone: ZoneName, clock: 'local' | 'wib'): number {
  const [h, m] = at.split(':').map(Number);
  return (h * 60 + m) * 60 - (clock === 'local' ? ZONE_OFFSET_H[zone] * 3600 : 0);
}

function downsampleNote(b: Bucket[], n: number): string {
  const size = b.length > 0 ? b[0].end - b[0].start : 1;
  return size > 1 ? ` Downsampled: each point covers ${size} of ${n} intervals.` : '';
}

function zonesPresent(result: ResultV1): ZoneName[] {
  return ZONES.filter((z) => (result.summary.tps.by_zone[z]?.total ?? 0) > 0);
}

/** Cumulative completion per zone and nationally, in %, with checkpoint targets and reference markers. */
export function completionChart(result: ResultV1, ctx: ChartContext, id = 'chart-completion'): ChartSpec | null {
  const tl = result.timeline;
  const zones = zonesPresent(result);
  if (zones.length === 0 || tl.length === 0) return null;
  const total = result.summary.tps.total;
  // completed_cum is counted at the end of each interval; start the curve at 0 at the plan origin.
  const xs = [xOf(ctx, tl[0].t_s), ...tl.map((t) => xOf(ctx, t.t_s + ctx.intervalS))];
  const national = [0, ...tl.map((t) => (100 * ZONES.reduce((a, z) => a + (t.completed_cum[z] ?? 0), 0)) / total)];
  const perZone = zones.map((z) => [0, ...tl.map((t) => (100 * (t.completed_cum[z] ?? 0)) / result.summary.tps.by_zone[z].total)]);
  const keep = lttbIndexes(xs, national, MAX_POINTS);
  const lines: LineSpec[] = [];
  const data: Array<Array<number | null>> = [keep.map((i) => xs[i])];
  if (zones.length > 1) {
    zones.forEach((z, j) => { lines.push({ label: `${z} (local)`, color: ZONE_COLORS[z] }); data.push(keep.map((i) => r3(perZone[j][i]))); });
  }
  lines.push({ label: zones.length > 1 ? 'National' : `${zones[0]} (all TPS)`, color: '#212529', width: 2.5 });
  data.push(keep.map((i) => r3(national[i])));

  const markers: MarkerSpec[] = [];
  if (ctx.xKind === 'sim') {
    for (const c of result.checkpoints) {
      for (const z of zones) {
        const zone = result.meta.clock === 'local' ? z : 'WIB';
        markers.push({ x: localToWibS(c.at, z, result.meta.clock), y: 100 * c.target, shape: 'diamond', color: ZONE_COLORS[z],
          label: `target ${Math.round(c.target * 1000) / 10}% by ${c.at} ${zone}`,
          // One caption per checkpoint (on the first zone's diamond): the zone colours say the rest.
          short: z === zones[0] ? `${Math.round(c.target * 1000) / 10}% by ${c.at}${zones.length > 1 ? ' local' : ''}` : '' });
      }
    }
    if (result.meta.executor === 'election-day') {
      for (const ref of PILKADA_2024_OBSERVED) {
        markers.push({ x: ref.atWibS, y: 100 * ref.share, shape: 'circle', color: '#868e96', label: ref.label, short: `2024: ${Math.round(ref.share * 1000) / 10}%` });
      }
    }
  }
  const allX = [...(data[0] as number[]), ...markers.map((m) => m.x)];
  const span = Math.max(...allX) - Math.min(...allX);
  return {
    id,
    title: 'Completion: share of TPS fully uploaded',
    note: 'Cumulative % of TPS whose every contest was accepted, per zone (local clocks shifted onto WIB) and in total. ' +
      'Diamonds: checkpoint targets; grey circles: what Sirekap reached on Pilkada day 2024.' +
      (keep.length < xs.length ? ` Downsampled (LTTB) to ${keep.length} of ${xs.length} points.` : ''),
    x: ctx.xKind,
    unit: 'pct',
    yRange: [0, 100],
    // A little room on both sides so that markers at the window's edges are not cut in half.
    xRange: [Math.min(...allX) - span * 0.01, Math.max(...allX) + span * 0.03],
    lines,
    data,
    markers,
  };
}

function seriesNames(result: ResultV1): SeriesName[] {
  const names = new Set<string>(Object.keys(result.series));
  for (const t of result.timeline) for (const k of Object.keys(t.series)) names.add(k);
  return [...names] as SeriesName[];
}

/** Builds x (interval starts) and rate lines from per-interval counts over a bucketing. */
function rateLines(ctx: ChartContext, tl: TimelineInterval[], b: Bucket[], counts: Array<ArrayLike<number>>): Array<Array<number | null>> {
  const xs = b.map((bk) => xOf(ctx, tl[bk.start].t_s));
  return [xs, ...counts.map((c) => b.map((bk) => r3(sumOver(c, bk) / ((bk.end - bk.start) * ctx.intervalS))))];
}

export function throughputChart(result: ResultV1, ctx: ChartContext, b: Bucket[]): ChartSpec {
  const tl = result.timeline;
  const names = seriesNames(result);
  const counts: number[][] = [
    tl.map((t) => t.offered),
    tl.map((t) => names.reduce((a, n) => a + (t.series[n]?.requests ?? 0), 0)),
    tl.map((t) => names.reduce((a, n) => a + (t.series[n]?.ok ?? 0), 0)),
    ...names.map((n) => tl.map((t) => t.series[n]?.requests ?? 0)),
  ];
  return {
    id: 'chart-throughput',
    title: 'Offered vs achieved throughput',
    note: 'Offered: arrivals the plan scheduled (officer sessions, viewer reads) per real second. Achieved: responses per real second, all and per series.' +
      downsampleNote(b, tl.length),
    x: ctx.xKind,
    unit: 'per_s',
    lines: [
      { label: 'offered arrivals/s', color: '#868e96', width: 2, dash: [6, 4] },
      { label: 'achieved responses/s', color: '#212529', width: 2 },
      { label: 'ok responses/s', color: '#2b8a3e' },
      ...names.map((n) => ({ label: `${n}/s`, color: SERIES_COLORS[n] ?? '#495057', width: 1 })),
    ],
    data: rateLines(ctx, tl, b, counts),
  };
}

export function latencyCharts(result: ResultV1, ctx: ChartContext, b: Bucket[]): ChartSpec[] {
  const tl = result.timeline;
  return seriesNames(result).map((name) => {
    const xs = b.map((bk) => xOf(ctx, tl[bk.start].t_s));
    const lines = PERCENTILE_LINES.map(({ key }) => {
      const raw = tl.map((t) => { const s = t.series[name]; return s && s.requests > 0 && s[key] > 0 ? s[key] : null; });
      return b.map((bk) => maxOver(raw, bk));
    });
    return {
      id: `chart-latency-${name}`,
      title: `Latency over time: ${name}`,
      note: 'Percentiles of requests that ended in each interval, from the intended send time (coordinated-omission free). Log scale.' +
        (b.length < tl.length ? ' Downsampled: each point is the worst interval of its bucket.' : ''),
      x: ctx.xKind,
      unit: 'ms',
      yLog: true,
      lines: PERCENTILE_LINES.map((p) => ({ label: p.key, color: p.color, dash: p.dash, width: p.key === 'p99' ? 2 : 1.5 })),
      data: [xs, ...lines],
    } satisfies ChartSpec;
  });
}

/** Percentile plot (HdrHistogram style): x = 1/(1-q) on a log axis, so each "nine" gets equal room. */
export function distributionChart(result: ResultV1): ChartSpec | null {
  const map = result.histograms.total;
  const names = seriesWith(map, 'latency');
  if (names.length === 0) return null;
  const hists = names.map((n) => metricHistogram(map, n, 'latency'));
  const maxCount = Math.max(...hists.map((h) => h.totalCount));
  if (maxCount === 0) return null;
  const nines = Math.min(6, Math.max(2, Math.ceil(Math.log10(maxCount))));
  const steps = nines * 20;
  const xs: number[] = [];
  for (let i = 0; i <= steps; i++) xs.push(10 ** (i / 20));
  const lines = hists.map((h) => xs.map((x) => (h.totalCount === 0 ? null : r3(Math.max(h.getValueAtPercentile(100 * (1 - 1 / x)), 1) / 1000))));
  return {
    id: 'chart-distribution',
    title: 'Latency distribution (percentile plot)',
    note: `Latency from intended send time at each percentile, per series, from the run's HDR histograms. The x axis gives each nine (90%, 99%, 99.9%...) equal width.`,
    x: 'nines',
    unit: 'ms',
    yLog: true,
    lines: names.map((n) => ({ label: n, color: SERIES_COLORS[n] ?? '#495057', width: 2 })),
    data: [xs.map(r3), ...lines],
  };
}

export function lagChart(result: ResultV1, ctx: ChartContext, b: Bucket[]): ChartSpec {
  const tl = result.timeline;
  const raw = tl.map((t) => (t.lag_p99_ms > 0 ? t.lag_p99_ms : null));
  return {
    id: 'chart-lag',
    title: 'Schedule lag p99',
    note: 'Actual minus intended send time of requests sent in each interval: how far the load generator fell behind its own plan. ' +
      'High lag means the generator, not the server, was the bottleneck.' + (b.length < tl.length ? ' Downsampled: worst interval per point.' : ''),
    x: ctx.xKind,
    unit: 'ms',
    yLog: true,
    lines: [{ label: 'lag p99', color: '#e67700', width: 2 }],
    data: [b.map((bk) => xOf(ctx, tl[bk.start].t_s)), b.map((bk) => maxOver(raw, bk))],
  };
}

/** Failed responses per second by HTTP status and by error code (top few, the rest as "other"). */
export function errorsChart(result: ResultV1, ctx: ChartContext, b: Bucket[]): ChartSpec {
  const tl = result.timeline;
  const names = seriesNames(result);
  const statusTotals = new Map<string, number>();
  const codeTotals = new Map<string, number>();
  for (const t of tl) for (const n of names) {
    const s = t.series[n];
    if (!s) continue;
    for (const [k, v] of Object.entries(s.by_status)) if (!k.startsWith('2')) statusTotals.set(k, (statusTotals.get(k) ?? 0) + v);
    for (const [k, v] of Object.entries(s.by_code)) codeTotals.set(k, (codeTotals.get(k) ?? 0) + v);
  }
  const top = (m: Map<string, number>, n: number): string[] => [...m.entries()].sort((a, z) => z[1] - a[1] || a[0].localeCompare(z[0])).slice(0, n).map(([k]) => k);
  const statuses = top(statusTotals, 5);
  const codes = top(codeTotals, 5);
  const counts: number[][] = [tl.map((t) => names.reduce((a, n) => a + (t.series[n]?.failed ?? 0), 0))];
  const lines: LineSpec[] = [{ label: 'all failed/s', color: '#212529', width: 2 }];
  statuses.forEach((st, i) => {
    counts.push(tl.map((t) => names.reduce((a, n) => a + (t.series[n]?.by_status[st] ?? 0), 0)));
    lines.push({ label: `status ${st}/s`, color: PALETTE[i % PALETTE.length] });
  });
  codes.forEach((code, i) => {
    counts.push(tl.map((t) => names.reduce((a, n) => a + (t.series[n]?.by_code[code] ?? 0), 0)));
    lines.push({ label: `${code}/s`, color: PALETTE[(i + 5) % PALETTE.length], dash: [5, 3] });
  });
  const hidden = statusTotals.size - statuses.length + codeTotals.size - codes.length;
  return {
    id: 'chart-errors',
    title: 'Errors over time',
    note: 'Failed responses per real second, by HTTP status (solid; "error" = transport failure) and by error code (dashed).' +
      (hidden > 0 ? ` ${hidden} rarer statuses/codes are only in the total.` : '') + downsampleNote(b, tl.length),
    x: ctx.xKind,
    unit: 'per_s',
    lines,
    data: rateLines(ctx, tl, b, counts),
  };
}

export function droppedChart(result: ResultV1, ctx: ChartContext, b: Bucket[]): ChartSpec {
  const tl = result.timeline;
  return {
    id: 'chart-dropped',
    title: 'Dropped arrivals',
    note: 'Arrivals the generator could not start because the in-flight cap was reached (open model: counted, never delayed).' + downsampleNote(b, tl.length),
    x: ctx.xKind,
    unit: 'per_s',
    lines: [{ label: 'dropped/s', color: '#c92a2a', width: 2 }],
    data: rateLines(ctx, tl, b, [tl.map((t) => t.dropped)]),
  };
}

/** Every chart of a single-run report, in reading order. */
export function reportCharts(result: ResultV1): { ctx: ChartContext; charts: ChartSpec[] } {
  const ctx = chartContext(result);
  const b = buckets(result.timeline.length, MAX_POINTS);
  const charts: Array<ChartSpec | null> = [];
  charts.push(completionChart(result, ctx));
  if (result.timeline.length > 0) {
    charts.push(throughputChart(result, ctx, b));
    charts.push(...latencyCharts(result, ctx, b));
  }
  charts.push(distributionChart(result));
  if (result.timeline.length > 0) {
    charts.push(lagChart(result, ctx, b), errorsChart(result, ctx, b), droppedChart(result, ctx, b));
  }
  return { ctx, charts: charts.filter((c): c is ChartSpec => c !== null) };
}
