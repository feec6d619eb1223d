/**
 * toResult(): the recorder's state and the run's context -> a complete result.json
 * (ujibeban/result@1). Percentiles are derived here from the total histograms, never by
 * averaging interval percentiles. Thresholds and the verdict use the reports room's
 * functions, so a result is judged the same way by `run` and by `merge`.
 */
import { cpus, hostname, platform, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ZONE_NAMES, type Zone } from '../../src/domain/zones.js';
import type { Hierarchy } from '../../src/domain/hierarchy.js';
import { packageFile } from '../../src/domain/package-root.js';
import { addInto, encodeHistogram, newHistogram, percentilesMs, decodeHistogram } from '../../src/result/hdr.js';
import {
  RESULT_SCHEMA, SERIES, type CheckpointResult, type RequestCounts, type ResultV1, type RunMeta,
  type SeriesName, type SeriesSummary, type ZoneName,
} from '../../src/result/types.js';
import type { Scenario } from '../../src/scenario/types.js';
import { evaluateThresholds } from '../../src/report/thresholds.js';
import { computeVerdict, judgeCheckpoint } from '../../src/report/verdict.js';
import type { Plan, Segment } from '../plan/types.js';
import { Counts } from './counters.js';
import type { Recorder } from './recorder.js';
import { attachSpill } from './result-file.js';

export interface ResultContext {
  scenario: Scenario;
  scenarioFile: string | null;
  plan: Plan;
  hierarchy: Hierarchy;
  /** TPS of this segment per province, in hierarchy.provinces() order. */
  provinceTotals: Uint32Array;
  target: string;
  embeddedServer: boolean;
  segment: Segment | null;
  /** Wall-clock ms (Date.now()) of the plan origin. */
  startedAtMs: number;
  endedAtMs: number;
  /** Real seconds from the origin to the end. */
  durationS: number;
  clockOffsetMs: number;
  partial: boolean;
}

function requestCounts(c: Counts, dropped: number): RequestCounts {
  return { total: c.requests, ok: c.ok, failed: c.failed, dropped, by_status: { ...c.by_status }, by_code: { ...c.by_code } };
}

let versionsCache: Record<string, string> | null = null;
export function versions(): Record<string, string> {
  if (versionsCache) return versionsCache;
  const read = (f: string): string => {
    try { return String(JSON.parse(readFileSync(f, 'utf8')).version); } catch { return 'unknown'; }
  };
  let undici = 'unknown';
  try {
    const req = createRequire(import.meta.url);
    const main = req.resolve('undici');
    undici = read(main.slice(0, main.lastIndexOf('node_modules') + 'node_modules'.length) + '/undici/package.json');
  } catch { /* keep unknown */ }
  versionsCache = {
    ujibeban: read(packageFile('package.json')),
    node: process.versions.node,
    undici,
    v8: process.versions.v8,
  };
  return versionsCache;
}

function machine(): RunMeta['machine'] {
  const c = cpus();
  return { hostname: hostname(), platform: `${platform()}-${process.arch}`, cpus: c.length, cpu_model: c[0]?.model ?? 'unknown', memory_bytes: totalmem() };
}

/** Which series a scenario's traffic lands in. */
export function seriesOfScenario(s: Scenario): SeriesName[] {
  if (s.executor === 'election-day') {
    const out: SeriesName[] = ['login', 'upload'];
    if (s.viewers.rate.some((p) => p.value > 0)) out.push('read');
    return out;
  }
  if (s.request === 'login') return ['login'];
  if (s.request === 'upload') return ['login', 'upload'];
  return ['read'];
}

export function toResult(rec: Recorder, ctx: ResultContext): ResultV1 {
  const s = ctx.scenario;
  const wanted = new Set<SeriesName>(seriesOfScenario(s));
  const series: ResultV1['series'] = {};
  const all = new Counts();
  const allLat = newHistogram();
  const allSvc = newHistogram();
  const histTotal: Record<string, string> = {};
  for (const name of SERIES) {
    const r = rec.seriesTotal(name);
    if (r.counts.requests === 0 && !wanted.has(name) && rec.seriesDropped(name, dropSeries(s)) === 0) continue;
    // Arrivals dropped are charged to the series their first request would have been.
    const dropped = rec.seriesDropped(name, dropSeries(s));
    series[name] = {
      requests: requestCounts(r.counts, dropped),
      latency_ms: percentilesMs(r.latency),
      service_time_ms: percentilesMs(r.service),
    } satisfies SeriesSummary;
    all.merge(r.counts);
    addInto(allLat, r.latency);
    addInto(allSvc, r.service);
    if (r.latency.totalCount > 0) histTotal[`${name}.latency`] = encodeHistogram(r.latency);
    if (r.service.totalCount > 0) histTotal[`${name}.service`] = encodeHistogram(r.service);
  }
  if (rec.totalLag.totalCount > 0) histTotal.lag = encodeHistogram(rec.totalLag);

  const zoneTotals = ctx.plan.officersByZone;
  const byZone = {} as Record<ZoneName, { total: number; completed: number }>;
  for (const z of ZONE_NAMES) byZone[z] = { total: zoneTotals[z] ?? 0, completed: rec.completedByZone[z] };

  const checkpoints: CheckpointResult[] = ctx.plan.checkpoints.map((c, i) => {
    const counts = rec.checkpointCounts[i];
    const bz = {} as Record<ZoneName, { completed: number; total: number }>;
    let completed = 0;
    let total = 0;
    for (const z of ZONE_NAMES) {
      const zt = c.realMsByZone[z] !== undefined ? (c.totalByZone?.[z] ?? zoneTotals[z] ?? 0) : 0;
      const zc = counts[z as Zone] ?? 0;
      bz[z] = { completed: zc, total: zt };
      completed += zc;
      total += zt;
    }
    const j = judgeCheckpoint(completed, total, c.target);
    return { at: c.at, target: c.target, achieved: j.achieved, completed, total, by_zone: bz, pass: j.pass };
  });

  const provinces = ctx.hierarchy.provinces().map((p, i) => ({
    code: p.province.code, name: p.province.name, zone: p.province.zone,
    total: ctx.provinceTotals[i] ?? 0, completed: rec.completedByProvince[i] ?? 0,
  }));

  const duration = Math.max(ctx.durationS, 1e-6);
  const result: ResultV1 = {
    schema: RESULT_SCHEMA,
    pass: false,
    partial: ctx.partial,
    failures: [],
    meta: {
      scenario: s.name,
      scenario_file: ctx.scenarioFile,
      executor: s.executor,
      election: s.election,
      regions: s.regions,
      scale: s.scale,
      seed: s.seed,
      time_scale: ctx.plan.timeScale,
      clock: s.executor === 'election-day' ? s.clock : 'wib',
      window: s.executor === 'election-day' ? { start: s.window.start, end: s.window.end } : null,
      sim_origin_s: ctx.plan.simOriginS,
      target: ctx.target,
      embedded_server: ctx.embeddedServer,
      segment: ctx.segment ? { index: ctx.segment.index, count: ctx.segment.count } : null,
      started_at: new Date(ctx.startedAtMs).toISOString(),
      ended_at: new Date(ctx.endedAtMs).toISOString(),
      clock_offset_ms: ctx.clockOffsetMs,
      interval_s: s.intervalS,
      versions: versions(),
      machine: machine(),
    },
    summary: {
      duration_s: ctx.durationS,
      requests: requestCounts(all, rec.dropped),
      latency_ms: percentilesMs(allLat),
      service_time_ms: percentilesMs(allSvc),
      schedule_lag_ms: percentilesMs(rec.totalLag),
      tps: { total: ctx.plan.officerCount, completed: rec.completedTotal(), by_zone: byZone },
      uploads: { ...rec.uploads },
      rate: { offered_per_s: rec.offered / duration, achieved_per_s: all.requests / duration },
    },
    series,
    checkpoints,
    thresholds: [],
    timeline: rec.timeline,
    provinces,
    // With a spill the intervals stay in its file: writeResultFile() streams them into
    // result.json, materializeIntervals() reads them back for in-process use.
    histograms: { unit: 'us', total: histTotal, intervals: rec.intervalHistograms },
  };
  if (rec.spill) attachSpill(result, rec.spill);
  result.thresholds = evaluateThresholds({
    summary: result.summary,
    series: result.series,
    percentileMs: (metric, p) => {
      const h = metric === 'all' ? allLat : (series[metric as SeriesName] ? rec.seriesTotal(metric as SeriesName).latency : null);
      return h && h.totalCount > 0 ? h.getValueAtPercentile(p) / 1000 : undefined;
    },
  }, s.thresholds);
  computeVerdict(result);
  return result;
}

/** The series an arrival's first request belongs to (where a dropped arrival is charged). */
function dropSeries(s: Scenario): SeriesName {
  if (s.executor === 'election-day') return 'login';
  // An upload hit starts with a login only when it has no token yet; charge it to upload.
  if (s.request === 'login' || s.request === 'upload') return s.request;
  return 'read';
}

export { decodeHistogram };
