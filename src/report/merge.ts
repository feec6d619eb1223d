/**
 * Merging the segments of one plan (`run --segment K/N` on N machines) into one result, exactly:
 * counters add, HDR histograms add, and every percentile is recomputed from the merged
 * histograms (never averaged). Checkpoints and thresholds are judged again on the sums.
 *
 * Order-independent: inputs are sorted by segment index before anything is combined.
 */
import { UsageError } from '../cli/errors.js';
import { encodeHistogram, newHistogram, percentilesMs } from '../result/hdr.js';
import type { Histogram } from '../result/hdr.js';
import { SERIES, ZONES } from '../result/types.js';
import type {
  CheckpointResult, HistogramSet, Percentiles, ProvinceResult, RequestCounts, ResultV1, SeriesName, SeriesSummary,
  Summary, TimelineInterval, ZoneName,
} from '../result/types.js';
import { addEncoded, histogramKey, intervalPercentilesMs, percentileSource } from './histograms.js';
import { evaluateThresholds } from './thresholds.js';
import { computeVerdict, judgeCheckpoint } from './verdict.js';

export interface MergeOptions {
  /** Names for the inputs in error messages (e.g. file paths), same order as `results`. */
  labels?: string[];
}

interface Input { result: ResultV1; label: string }

export function mergeResults(results: readonly ResultV1[], options: MergeOptions = {}): ResultV1 {
  if (results.length === 0) throw new UsageError('merge: no results given, expected at least one result.json');
  const inputs: Input[] = results.map((result, i) => ({ result, label: options.labels?.[i] ?? `result #${i + 1}` }));
  checkSamePlan(inputs);
  checkSegments(inputs);
  inputs.sort((a, b) => (a.result.meta.segment?.index ?? 0) - (b.result.meta.segment?.index ?? 0));
  const sorted = inputs.map((x) => x.result);

  const startMs = sorted.map((r) => Date.parse(r.meta.started_at));
  const originMs = Math.min(...startMs);
  const earliest = sorted[startMs.indexOf(originMs)];
  const intervalS = earliest.meta.interval_s;
  // Each segment counts t_s from its own start; shift it onto the grid of the earliest one.
  const offsetsS = startMs.map((ms) => (ms - originMs) / 1000);
  const shifts = offsetsS.map((s) => Math.round(s / intervalS));
  const durationS = Math.max(...sorted.map((r, i) => offsetsS[i] + r.summary.duration_s));

  const totalHistograms = mergeHistogramMaps(sorted.map((r) => r.histograms.total));
  const haveIntervals = sorted.every((r) => r.histograms.intervals.length === r.timeline.length && r.timeline.length > 0);
  const { timeline, intervals } = mergeTimelines(sorted, shifts, earliest, haveIntervals);

  const merged: ResultV1 = {
    schema: earliest.schema,
    pass: true,
    partial: sorted.some((r) => r.partial) || missingSegments(sorted).length > 0,
    failures: [],
    meta: mergeMeta(sorted, earliest, originMs),
    summary: mergeSummary(sorted, durationS, totalHistograms),
    series: mergeSeries(sorted, totalHistograms),
    checkpoints: mergeCheckpoints(sorted),
    thresholds: [],
    timeline,
    provinces: mergeProvinces(sorted),
    histograms: {
      unit: 'us',
      total: encodeMap(totalHistograms),
      intervals,
    },
  };
  merged.thresholds = evaluateThresholds(
    { ...merged, percentileMs: percentileSource(merged.histograms.total) },
    earliest.thresholds.map(({ metric, expr }) => ({ metric, expr })),
  );
  return computeVerdict(merged);
}

/** Segments K (1-based, as in `--segment K/N`) of the plan that none of the inputs covers. */
export function missingSegments(results: readonly ResultV1[]): number[] {
  const count = results[0].meta.segment?.count;
  if (!count) return [];
  const present = new Set(results.map((r) => r.meta.segment!.index));
  return Array.from({ length: count }, (_, i) => i + 1).filter((k) => !present.has(k));
}

function describe(value: unknown): string {
  return JSON.stringify(value);
}

function checkSamePlan(inputs: Input[]): void {
  const [first] = inputs;
  const facts: Array<[string, (r: ResultV1) => unknown]> = [
    ['schema', (r) => r.schema],
    ['scenario', (r) => r.meta.scenario],
    ['executor', (r) => r.meta.executor],
    ['election', (r) => r.meta.election],
    ['regions', (r) => r.meta.regions],
    ['scale', (r) => r.meta.scale],
    ['seed', (r) => r.meta.seed],
    ['time scale', (r) => r.meta.time_scale],
    ['clock', (r) => r.meta.clock],
    ['interval', (r) => r.meta.interval_s],
    ['checkpoints', (r) => r.checkpoints.map((c) => [c.at, c.target])],
    ['thresholds', (r) => r.thresholds.map((t) => [t.metric, t.expr])],
  ];
  for (const other of inputs.slice(1)) {
    for (const [name, get] of facts) {
      const a = describe(get(first.result));
      const b = describe(get(other.result));
      if (a !== b) {
        throw new UsageError(`merge: ${other.label} has ${name} ${b} but ${first.label} has ${a}; ` +
          'only segments of the same plan (scenario, election, scale, seed) can be merged');
      }
    }
  }
}

function checkSegments(inputs: Input[]): void {
  if (inputs.length === 1) return;
  const whole = inputs.find((x) => x.result.meta.segment === null);
  if (whole) {
    throw new UsageError(`merge: ${whole.label} is a whole run (no --segment), so it overlaps every other input; ` +
      'merge only the segments of one plan');
  }
  const count = inputs[0].result.meta.segment!.count;
  const seen = new Map<number, string>();
  for (const { result, label } of inputs) {
    const seg = result.meta.segment!;
    if (!Number.isInteger(seg.index) || seg.index < 1 || seg.index > seg.count) {
      throw new UsageError(`merge: ${label} has meta.segment ${seg.index}/${seg.count}, expected K/N with 1 <= K <= N`);
    }
    if (seg.count !== count) {
      throw new UsageError(`merge: ${label} is segment ${seg.index}/${seg.count} but ${inputs[0].label} is of ` +
        `${count} segments; segments of differently split plans overlap`);
    }
    const previous = seen.get(seg.index);
    if (previous !== undefined) {
      throw new UsageError(`merge: ${label} and ${previous} are both segment ${seg.index}/${count}; overlapping segments cannot be merged`);
    }
    seen.set(seg.index, label);
  }
}

function mergeMeta(sorted: ResultV1[], earliest: ResultV1, originMs: number): ResultV1['meta'] {
  const hostnames = [...new Set(sorted.map((r) => r.meta.machine.hostname))].sort();
  return {
    ...earliest.meta,
    segment: null,
    started_at: new Date(originMs).toISOString(),
    ended_at: new Date(Math.max(...sorted.map((r) => Date.parse(r.meta.ended_at)))).toISOString(),
    embedded_server: sorted.some((r) => r.meta.embedded_server),
    clock_offset_ms: sorted.reduce((worst, r) => (Math.abs(r.meta.clock_offset_ms) > Math.abs(worst) ? r.meta.clock_offset_ms : worst), 0),
    machine: { ...earliest.meta.machine, hostname: hostnames.join(', ') },
    merged_from: sorted.length,
  };
}

function mergeHistogramMaps(maps: Array<Record<string, string>>): Map<string, Histogram> {
  const out = new Map<string, Histogram>();
  for (const map of maps) {
    for (const [key, encoded] of Object.entries(map)) {
      let h = out.get(key);
      if (!h) { h = newHistogram(); out.set(key, h); }
      addEncoded(h, encoded);
    }
  }
  return out;
}

function encodeMap(map: Map<string, Histogram>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of [...map.keys()].sort()) out[key] = encodeHistogram(map.get(key)!);
  return out;
}

export function addCounts(into: Record<string, number>, from: Record<string, number>): Record<string, number> {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
  return into;
}

function sumRequests(list: RequestCounts[]): RequestCounts {
  const out: RequestCounts = { total: 0, ok: 0, failed: 0, dropped: 0, by_status: {}, by_code: {} };
  for (const c of list) {
    out.total += c.total;
    out.ok += c.ok;
    out.failed += c.failed;
    out.dropped += c.dropped;
    addCounts(out.by_status, c.by_status);
    addCounts(out.by_code, c.by_code);
  }
  return out;
}

/**
 * Percentiles of the merged histograms. The max is taken from the inputs' own maxima instead:
 * a decoded histogram only knows the top of the max's bucket, the recorder knew the exact value.
 */
function percentilesOf(hists: Map<string, Histogram>, keys: string[], partMaxima: number[]): Percentiles {
  const sum = newHistogram();
  for (const key of keys) {
    const h = hists.get(key);
    if (h) sum.add(h);
  }
  const p = percentilesMs(sum);
  return p.count > 0 ? { ...p, max: Math.max(...partMaxima) } : p;
}

function mergeSummary(sorted: ResultV1[], durationS: number, hists: Map<string, Histogram>): Summary {
  const latencyKeys = [...hists.keys()].filter((k) => k.endsWith('.latency'));
  const serviceKeys = [...hists.keys()].filter((k) => k.endsWith('.service'));
  const requests = sumRequests(sorted.map((r) => r.summary.requests));
  if (latencyKeys.length === 0 && requests.total > 0) {
    throw new UsageError('merge: the results carry no latency histograms (histograms.total), so percentiles cannot be merged exactly');
  }
  const byZone = Object.fromEntries(ZONES.map((z) => [z, {
    total: sum(sorted, (r) => r.summary.tps.by_zone[z]?.total ?? 0),
    completed: sum(sorted, (r) => r.summary.tps.by_zone[z]?.completed ?? 0),
  }])) as Summary['tps']['by_zone'];
  // Rates are per real second of each segment: turn them back into counts before dividing.
  const countOver = (pick: (r: ResultV1) => number): number => sorted.reduce((a, r) => a + pick(r) * r.summary.duration_s, 0);
  return {
    duration_s: durationS,
    requests,
    latency_ms: percentilesOf(hists, latencyKeys, sorted.map((r) => r.summary.latency_ms.max)),
    service_time_ms: percentilesOf(hists, serviceKeys, sorted.map((r) => r.summary.service_time_ms.max)),
    schedule_lag_ms: percentilesOf(hists, ['lag'], sorted.map((r) => r.summary.schedule_lag_ms.max)),
    tps: {
      total: sum(sorted, (r) => r.summary.tps.total),
      completed: sum(sorted, (r) => r.summary.tps.completed),
      by_zone: byZone,
    },
    uploads: {
      accepted: sum(sorted, (r) => r.summary.uploads.accepted),
      corrections: sum(sorted, (r) => r.summary.uploads.corrections),
      duplicates: sum(sorted, (r) => r.summary.uploads.duplicates),
      flagged: sum(sorted, (r) => r.summary.uploads.flagged),
    },
    rate: {
      offered_per_s: durationS > 0 ? countOver((r) => r.summary.rate.offered_per_s) / durationS : 0,
      achieved_per_s: durationS > 0 ? countOver((r) => r.summary.rate.achieved_per_s) / durationS : 0,
    },
  };
}

function sum<T>(list: T[], pick: (x: T) => number): number {
  return list.reduce((a, x) => a + pick(x), 0);
}

function mergeSeries(sorted: ResultV1[], hists: Map<string, Histogram>): Partial<Record<SeriesName, SeriesSummary>> {
  const names = orderedSeries(sorted.flatMap((r) => Object.keys(r.series)));
  const out: Partial<Record<SeriesName, SeriesSummary>> = {};
  for (const name of names) {
    const present = sorted.map((r) => r.series[name as SeriesName]).filter((s): s is SeriesSummary => s !== undefined);
    out[name as SeriesName] = {
      requests: sumRequests(present.map((s) => s.requests)),
      latency_ms: percentilesOf(hists, [histogramKey(name, 'latency')], present.map((s) => s.latency_ms.max)),
      service_time_ms: percentilesOf(hists, [histogramKey(name, 'service')], present.map((s) => s.service_time_ms.max)),
    };
  }
  return out;
}

/** Known series first in their usual order, then any others alphabetically. */
function orderedSeries(names: string[]): string[] {
  const unique = [...new Set(names)];
  const known = SERIES.filter((s) => unique.includes(s));
  return [...known, ...unique.filter((s) => !(SERIES as readonly string[]).includes(s)).sort()];
}

function mergeCheckpoints(sorted: ResultV1[]): CheckpointResult[] {
  return sorted[0].checkpoints.map((first, i) => {
    const all = sorted.map((r) => r.checkpoints[i]);
    const byZone = Object.fromEntries(ZONES.map((z) => [z, {
      completed: sum(all, (c) => c.by_zone[z]?.completed ?? 0),
      total: sum(all, (c) => c.by_zone[z]?.total ?? 0),
    }])) as CheckpointResult['by_zone'];
    const completed = sum(all, (c) => c.completed);
    const total = sum(all, (c) => c.total);
    return { at: first.at, target: first.target, completed, total, by_zone: byZone, ...judgeCheckpoint(completed, total, first.target) };
  });
}

function mergeProvinces(sorted: ResultV1[]): ProvinceResult[] {
  const byCode = new Map<string, ProvinceResult>();
  for (const r of sorted) {
    for (const p of r.provinces) {
      const seen = byCode.get(p.code);
      if (seen) { seen.total += p.total; seen.completed += p.completed; } else byCode.set(p.code, { ...p });
    }
  }
  return [...byCode.values()].sort((a, b) => a.code.localeCompare(b.code));
}

type IntervalSeries = NonNullable<TimelineInterval['series'][SeriesName]>;

function mergeTimelines(
  sorted: ResultV1[], shifts: number[], earliest: ResultV1, haveIntervals: boolean,
): { timeline: TimelineInterval[]; intervals: HistogramSet['intervals'] } {
  const { interval_s: intervalS, time_scale: timeScale, sim_origin_s: simOrigin } = earliest.meta;
  const length = Math.max(...sorted.map((r, i) => shifts[i] + r.timeline.length));
  const timeline: TimelineInterval[] = [];
  const intervals: HistogramSet['intervals'] = [];
  for (let b = 0; b < length; b++) {
    const parts: Array<{ r: ResultV1; k: number }> = [];
    const cum = Object.fromEntries(ZONES.map((z) => [z, 0])) as Record<ZoneName, number>;
    sorted.forEach((r, i) => {
      const k = b - shifts[i];
      if (k >= 0 && k < r.timeline.length) parts.push({ r, k });
      // Cumulative completions hold their last value after a segment ends (and are 0 before it starts).
      const last = Math.min(k, r.timeline.length - 1);
      if (last >= 0) for (const z of ZONES) cum[z] += r.timeline[last].completed_cum[z] ?? 0;
    });
    const hists = haveIntervals
      ? mergeHistogramMaps(parts.map(({ r, k }) => r.histograms.intervals[k]))
      : new Map<string, Histogram>();
    const t_s = b * intervalS;
    const series: TimelineInterval['series'] = {};
    const names = orderedSeries(parts.flatMap(({ r, k }) => Object.keys(r.timeline[k].series)));
    for (const name of names) {
      const present = parts.map(({ r, k }) => r.timeline[k].series[name as SeriesName]).filter((s): s is IntervalSeries => s !== undefined);
      const latency = hists.get(histogramKey(name, 'latency'));
      series[name as SeriesName] = {
        requests: sum(present, (s) => s.requests),
        ok: sum(present, (s) => s.ok),
        failed: sum(present, (s) => s.failed),
        by_status: present.reduce((acc, s) => addCounts(acc, s.by_status), {} as Record<string, number>),
        by_code: present.reduce((acc, s) => addCounts(acc, s.by_code), {} as Record<string, number>),
        // Without interval histograms the best honest figure is the worst of the parts.
        ...(latency ? { ...intervalPercentilesMs(latency), max: worstOf(present).max } : worstOf(present)),
      };
    }
    const lag = hists.get('lag');
    timeline.push({
      t_s,
      sim_s: simOrigin === null ? null : simOrigin + t_s * timeScale,
      offered: sum(parts, ({ r, k }) => r.timeline[k].offered),
      dropped: sum(parts, ({ r, k }) => r.timeline[k].dropped),
      series,
      lag_p99_ms: lag ? intervalPercentilesMs(lag).p99 : Math.max(0, ...parts.map(({ r, k }) => r.timeline[k].lag_p99_ms)),
      completed_cum: cum,
    });
    if (haveIntervals) intervals.push(encodeMap(hists));
  }
  return { timeline, intervals };
}

function worstOf(list: IntervalSeries[]): { p50: number; p90: number; p99: number; max: number } {
  return {
    p50: Math.max(0, ...list.map((s) => s.p50)),
    p90: Math.max(0, ...list.map((s) => s.p90)),
    p99: Math.max(0, ...list.map((s) => s.p99)),
    max: Math.max(0, ...list.map((s) => s.max)),
  };
}
