/**
 * Pure helpers of bench/soak.ts (tested in tests/bench-lib/soak-analysis.test.ts): the
 * open-model step test's ladder and pass rule, CPU shares from /proc samples, the per-second
 * monitor lines of bench/lib/loop-monitor.mjs lined up with the run's seconds, the bad
 * seconds and their episodes, and the flat verdict.
 */

// ---------------------------------------------------------------- open-model step test

/** Fractions of the probe's (closed-model) knee the step test offers, lowest first. */
export const STEP_FRACTIONS = [0.4, 0.5, 0.6, 0.7, 0.8, 0.9] as const;

/** Rates (req/s, whole) of the step ladder for a knee. */
export function stepLadder(knee: number, fractions: readonly number[] = STEP_FRACTIONS): number[] {
  if (!(knee > 0)) throw new Error(`bad knee ${knee}`);
  return [...new Set(fractions.map((f) => Math.round(knee * f)))].filter((r) => r > 0).sort((a, b) => a - b);
}

/** What one constant-rate step measured (over its window after warm-up). */
export interface StepMeasure {
  rate: number;
  /** Arrivals the plan scheduled over the whole step. */
  offered: number;
  /** Requests sent (ok + failed) over the whole step. */
  sent: number;
  dropped: number;
  failed: number;
  /** sent / offered. */
  achieved: number;
  /** Schedule lag p99 (ms) after warm-up. */
  lag_p99_ms: number;
}

export interface StepRule {
  /** Schedule lag p99 bound (ms): a backlog shows here first. */
  maxLagP99Ms: number;
  /** sent / offered at least this. */
  minAchieved: number;
}

export const STEP_RULE: StepRule = { maxLagP99Ms: 10, minAchieved: 0.999 };

/** A step has no backlog: nothing dropped or failed, everything offered sent, lag p99 small. Reasons when not. */
export function stepVerdict(s: StepMeasure, rule: StepRule = STEP_RULE): { pass: boolean; why: string[] } {
  const why: string[] = [];
  if (s.dropped > 0) why.push(`${s.dropped} dropped`);
  if (s.failed > 0) why.push(`${s.failed} failed`);
  if (!(s.achieved >= rule.minAchieved)) why.push(`achieved ${(s.achieved * 100).toFixed(2)}% < ${(rule.minAchieved * 100).toFixed(1)}%`);
  if (!(s.lag_p99_ms <= rule.maxLagP99Ms)) why.push(`lag p99 ${s.lag_p99_ms.toFixed(1)} ms > ${rule.maxLagP99Ms} ms`);
  return { pass: why.length === 0, why };
}

/**
 * Open-model capacity: the highest rate below the first failing step (steps in any order;
 * judged from the lowest rate up, so a lucky pass above a failure does not count).
 * null when the lowest step already failed. `bounded`: a step failed above it, so the
 * capacity lies between it and that step; false when every step passed (a lower bound).
 */
export function openCapacity(steps: StepMeasure[], rule: StepRule = STEP_RULE): { rate: number | null; firstFailure: number | null; bounded: boolean } {
  const sorted = [...steps].sort((a, b) => a.rate - b.rate);
  let rate: number | null = null;
  for (const s of sorted) {
    if (!stepVerdict(s, rule).pass) return { rate, firstFailure: s.rate, bounded: true };
    rate = s.rate;
  }
  return { rate, firstFailure: null, bounded: false };
}

/**
 * One more rate to try after the ladder: halfway between the highest passing step and the first
 * failing one, when they are more than `minGap` (share of the passing rate) apart; else null.
 */
export function refineRate(steps: StepMeasure[], rule: StepRule = STEP_RULE, minGap = 0.05): number | null {
  const c = openCapacity(steps, rule);
  if (c.rate === null || c.firstFailure === null) return null;
  const mid = Math.round((c.rate + c.firstFailure) / 2);
  return c.firstFailure - c.rate > c.rate * minGap && !steps.some((s) => s.rate === mid) ? mid : null;
}

/** Whether the ladder can stop: a step failed (every higher one would be past capacity). */
export function stopLadder(done: StepMeasure[], rule: StepRule = STEP_RULE): boolean {
  return done.some((s) => !stepVerdict(s, rule).pass);
}

// ---------------------------------------------------------------- CPU shares

export interface CpuSample { at_ms: number; cpu_s: number }

/**
 * CPU seconds per wall second of a process over [fromMs, toMs] from cumulative samples: the
 * first sample at or after fromMs to the last at or before toMs. null with fewer than two.
 */
export function cpuShare(samples: CpuSample[], fromMs: number, toMs: number): number | null {
  const inside = samples.filter((s) => s.at_ms >= fromMs && s.at_ms <= toMs && s.cpu_s > 0);
  if (inside.length < 2) return null;
  const a = inside[0];
  const b = inside.at(-1)!;
  return b.at_ms > a.at_ms ? (b.cpu_s - a.cpu_s) / ((b.at_ms - a.at_ms) / 1000) : null;
}

// ---------------------------------------------------------------- monitor lines

/** One line of bench/lib/loop-monitor.mjs. */
export interface MonitorLine {
  t_ms: number;
  span_ms: number;
  pid: number;
  eld_ms: { p50: number | null; p99: number | null; max: number | null; n: number };
  gc: { n: number; total_ms: number; max_ms: number; by_kind: Record<string, { n: number; total_ms: number; max_ms: number }> };
  cpu_share?: number;
  rss_mb: number;
  heap_mb: number;
}

/** JSON lines; lines that do not parse (a torn last line) are skipped. */
export function parseJsonLines<T>(text: string): T[] {
  const out: T[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try { out.push(JSON.parse(line) as T); } catch { /* torn line */ }
  }
  return out;
}

/** Lines whose span [t_ms - span_ms, t_ms) overlaps [fromMs, toMs). */
export function overlapping<T extends { t_ms: number; span_ms: number }>(lines: T[], fromMs: number, toMs: number): T[] {
  return lines.filter((l) => l.t_ms > fromMs && l.t_ms - l.span_ms < toMs);
}

const maxOf = (xs: Array<number | null | undefined>): number | null => {
  const v = xs.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  return v.length ? Math.max(...v) : null;
};
const r3 = (x: number): number => Math.round(x * 1000) / 1000;

/** A process's loop and GC over a window: worst second's ELD p99, ELD max, GC max pause (and its kind), GC total, RSS max. */
export interface LoopWindow {
  eld_p99_ms: number | null;
  eld_max_ms: number | null;
  gc_max_ms: number | null;
  gc_max_kind: string | null;
  gc_total_ms: number | null;
  gc_n: number | null;
  cpu_share_max: number | null;
  rss_mb_max: number | null;
  heap_mb_max: number | null;
}

export function loopOver(lines: MonitorLine[], fromMs: number, toMs: number): LoopWindow {
  const ls = overlapping(lines, fromMs, toMs);
  if (!ls.length) return { eld_p99_ms: null, eld_max_ms: null, gc_max_ms: null, gc_max_kind: null, gc_total_ms: null, gc_n: null, cpu_share_max: null, rss_mb_max: null, heap_mb_max: null };
  let kind: string | null = null;
  let worst = -1;
  for (const l of ls) {
    for (const [k, v] of Object.entries(l.gc.by_kind)) if (v.max_ms > worst) { worst = v.max_ms; kind = k; }
  }
  return {
    eld_p99_ms: maxOf(ls.map((l) => l.eld_ms.p99)),
    eld_max_ms: maxOf(ls.map((l) => l.eld_ms.max)),
    gc_max_ms: r3(Math.max(0, ...ls.map((l) => l.gc.max_ms))),
    gc_max_kind: kind,
    gc_total_ms: r3(ls.reduce((a, l) => a + l.gc.total_ms, 0)),
    gc_n: ls.reduce((a, l) => a + l.gc.n, 0),
    cpu_share_max: maxOf(ls.map((l) => l.cpu_share)),
    rss_mb_max: maxOf(ls.map((l) => l.rss_mb)),
    heap_mb_max: maxOf(ls.map((l) => l.heap_mb)),
  };
}

// ---------------------------------------------------------------- bad seconds

/** Indices of timeline seconds whose schedule lag p99 is over `overMs`. */
export function badSeconds(timeline: Array<{ lag_p99_ms: number }>, overMs = 50): number[] {
  const out: number[] = [];
  timeline.forEach((it, i) => { if (it.lag_p99_ms > overMs) out.push(i); });
  return out;
}

/** Runs of bad seconds, a gap of up to `gap` good seconds joining two runs. */
export function episodes(seconds: number[], gap = 2): Array<{ from: number; to: number; bad: number }> {
  const out: Array<{ from: number; to: number; bad: number }> = [];
  for (const s of [...seconds].sort((a, b) => a - b)) {
    const last = out.at(-1);
    if (last && s - last.to <= gap + 1) { last.to = s; last.bad++; } else out.push({ from: s, to: s, bad: 1 });
  }
  return out;
}

/** Signals beside one bad second. */
export interface SecondSignals {
  lag_p99_ms: number;
  loadgen: LoopWindow;
  mock: LoopWindow;
  /** Worst core's canary work time that second / its best second (1 = full speed). */
  canary_slowdown: number | null;
  canary_wake_late_ms: number | null;
}

/**
 * Which signals stand out beside a bad second (heuristic, to read with the numbers): a loop
 * stall or GC pause in a process that covers at least half of the lag, the mock's loop with no
 * idle time (CPU ≥ 95% of a core), or the machine itself (canary ≥ 1.5× its best, or its timer ≥ 20 ms
 * late). "none" when nothing does: the requests waited outside both loops (sockets, kernel).
 */
export function likelySignals(s: SecondSignals): string[] {
  const half = s.lag_p99_ms / 2;
  const out: string[] = [];
  const proc = (name: string, w: LoopWindow): void => {
    if ((w.gc_max_ms ?? 0) >= half) out.push(`${name} GC${w.gc_max_kind ? ` ${w.gc_max_kind}` : ''} ${Math.round(w.gc_max_ms!)} ms`);
    if ((w.eld_max_ms ?? 0) >= half) out.push(`${name} loop stall ${Math.round(w.eld_max_ms!)} ms`);
  };
  proc('loadgen', s.loadgen);
  proc('mock', s.mock);
  // Only the mock's CPU share says saturation: at high rates the load generator's loop spins on
  // setImmediate turns between arrivals, so it reads ~100% busy whether or not it keeps up.
  if ((s.mock.cpu_share_max ?? 0) >= 0.95) out.push('mock core saturated');
  if ((s.canary_slowdown ?? 0) >= 1.5 || (s.canary_wake_late_ms ?? 0) >= 20) out.push('machine (canary)');
  return out.length ? out : ['none'];
}

// ---------------------------------------------------------------- verdict

/** Flat when every key's |drift %| is under `limitPct`; a missing value is not flat. */
export function flatVerdict(driftPct: Record<string, number | null>, keys: string[], limitPct = 10): { flat: boolean; by_key: Record<string, boolean> } {
  const by_key = Object.fromEntries(keys.map((k) => [k, driftPct[k] !== null && driftPct[k] !== undefined && Math.abs(driftPct[k]!) < limitPct]));
  return { flat: keys.every((k) => by_key[k]), by_key };
}
