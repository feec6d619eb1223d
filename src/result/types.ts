/**
 * result.json, schema "ujibeban/result@1": what a run writes and what every tool reads
 * (report, compare, merge, CI). Field by field documentation: docs/result-schema.md.
 *
 * Units: latencies in milliseconds (floats) in summaries; raw histograms in microseconds.
 * Time: `t_s` is real seconds since the run's plan origin (intended time 0);
 * `sim_s` is simulated seconds since 00:00 WIB of election day.
 */

export const RESULT_SCHEMA = 'ujibeban/result@1' as const;

/** The request series a run records. Election days use login/upload/read; executors their kind. */
export type SeriesName = 'login' | 'upload' | 'read';
export const SERIES: readonly SeriesName[] = ['login', 'upload', 'read'];

export type ZoneName = 'WIB' | 'WITA' | 'WIT';
export const ZONES: readonly ZoneName[] = ['WIB', 'WITA', 'WIT'];

export interface Percentiles {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
}

export interface RequestCounts {
  /** Attempts that were sent (ok + failed). */
  total: number;
  /** 2xx answers. */
  ok: number;
  /** Non-2xx answers, timeouts and transport errors. */
  failed: number;
  /** Arrivals that could not start (in-flight cap reached): counted, never delayed. */
  dropped: number;
  /** HTTP status (as string) -> count; transport failures under "error". */
  by_status: Record<string, number>;
  /** Stable error code (server `code`, or ETIMEDOUT, ECONNREFUSED, ...) -> count. */
  by_code: Record<string, number>;
}

export interface SeriesSummary {
  requests: RequestCounts;
  latency_ms: Percentiles;
  service_time_ms: Percentiles;
}

export interface Summary {
  /** Real seconds from the plan origin to the end of the run. */
  duration_s: number;
  requests: RequestCounts;
  /** Response end minus intended send time (coordinated-omission free), all series. */
  latency_ms: Percentiles;
  /** Response end minus actual send time, all series. */
  service_time_ms: Percentiles;
  /** Actual send minus intended send. */
  schedule_lag_ms: Percentiles;
  tps: {
    total: number;
    completed: number;
    by_zone: Record<ZoneName, { total: number; completed: number }>;
  };
  uploads: { accepted: number; corrections: number; duplicates: number; flagged: number };
  /** Mean rates over the run, requests per real second. */
  rate: { offered_per_s: number; achieved_per_s: number };
}

export interface CheckpointResult {
  /** Local time "HH:MM" as written in the scenario. */
  at: string;
  target: number;
  /** completed / total, in [0, 1]. */
  achieved: number;
  /** Raw counts so that merge can recompute exactly. */
  completed: number;
  total: number;
  by_zone: Record<ZoneName, { completed: number; total: number }>;
  pass: boolean;
}

export interface ThresholdResult {
  /** Series name ("upload", "login", "read") or "all". */
  metric: string;
  /** As written in the scenario, e.g. "p(99)<5000" or "rate(errors)<0.01". */
  expr: string;
  /** The observed value the expression was evaluated on. */
  value: number;
  pass: boolean;
}

export interface TimelineInterval {
  /** Start of the interval, real seconds since plan origin. */
  t_s: number;
  /** Start of the interval, simulated seconds since 00:00 WIB (null for executors). */
  sim_s: number | null;
  /** Arrivals the plan scheduled in this interval (officer sessions + viewer reads / executor hits). */
  offered: number;
  /** Arrivals dropped in this interval. */
  dropped: number;
  /** Per-series counts and latency percentiles (ms) of requests that ended in this interval. */
  series: Partial<Record<SeriesName, {
    requests: number;
    ok: number;
    failed: number;
    by_status: Record<string, number>;
    by_code: Record<string, number>;
    p50: number; p90: number; p99: number; max: number;
  }>>;
  /** Schedule lag p99 (ms) of requests sent in this interval. */
  lag_p99_ms: number;
  /** Cumulative TPS completed at the end of the interval, per zone. */
  completed_cum: Record<ZoneName, number>;
}

export interface ProvinceResult {
  code: string;
  name: string;
  zone: ZoneName;
  total: number;
  completed: number;
}

/**
 * Base64 HDR histograms (hdr-histogram-js `encodeIntoCompressedBase64`, values in µs), keyed
 * `${series}.latency`, `${series}.service`, and `lag`. Totals, and one map per timeline
 * interval (same order as `timeline`), so that segments merge exactly.
 */
export interface HistogramSet {
  unit: 'us';
  total: Record<string, string>;
  intervals: Array<Record<string, string>>;
}

export interface RunMeta {
  scenario: string;
  scenario_file: string | null;
  executor: 'election-day' | 'constant-rate' | 'ramping-rate';
  election: string;
  regions: 'all' | string[];
  scale: number;
  seed: number;
  time_scale: number;
  clock: 'local' | 'wib';
  window: { start: string; end: string } | null;
  /** Simulated seconds since 00:00 WIB at real t=0 (null for executors). */
  sim_origin_s: number | null;
  target: string;
  embedded_server: boolean;
  segment: { index: number; count: number } | null;
  /** Wall clock instant (ISO) of the plan origin, t_s = 0. */
  started_at: string;
  ended_at: string;
  /** Milliseconds this process's clock was behind/ahead of --start-at when it began (0 if none). */
  clock_offset_ms: number;
  interval_s: number;
  versions: Record<string, string>;
  machine: { hostname: string; platform: string; cpus: number; cpu_model: string; memory_bytes: number };
  /** Segments merged into this result (merge only). */
  merged_from?: number;
}

export interface ResultV1 {
  schema: typeof RESULT_SCHEMA;
  pass: boolean;
  /** True when the run was interrupted (SIGINT) or a segment is missing. */
  partial: boolean;
  /** Human-readable reasons for a failed verdict, in order of importance. */
  failures: string[];
  meta: RunMeta;
  summary: Summary;
  series: Partial<Record<SeriesName, SeriesSummary>>;
  checkpoints: CheckpointResult[];
  thresholds: ThresholdResult[];
  timeline: TimelineInterval[];
  provinces: ProvinceResult[];
  histograms: HistogramSet;
}
