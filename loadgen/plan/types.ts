/**
 * The plan: when each arrival is intended to start, derived from a scenario and nothing else
 * (open model: the server's replies never move it). Streamed lazily in time order.
 *
 * Clocks: real time is milliseconds since the plan origin (t = 0 when the run starts);
 * simulated time is seconds since 00:00 WIB of election day; a zone's local time is WIB plus
 * its offset (WITA +1 h, WIT +2 h) when the scenario's clock is "local".
 */
import type { RequestKind } from '../../src/scenario/types.js';
import type { Zone } from '../../src/domain/zones.js';

export type ArrivalKind = 'officer' | 'viewer' | 'hit';

export interface Arrival {
  /** Intended start, real ms since the plan origin (fractional allowed). */
  atMs: number;
  /** officer: a TPS session (login, then one upload per contest); viewer: a public read;
   *  hit: one request of an executor (constant-rate / ramping-rate). */
  kind: ArrivalKind;
  /** TPS index in the Hierarchy for officers (and login/upload hits); -1 otherwise. */
  tps: number;
  /** The request of a viewer or hit arrival. */
  request: RequestKind | null;
}

export interface PlanCheckpoint {
  at: string;
  atMin: number;
  target: number;
  /** Real ms at which each zone's local clock reads `at` (absent zones omitted). */
  realMsByZone: Partial<Record<Zone, number>>;
  /** TPS of this segment the plan starts by then, per zone and in all. */
  plannedByZone: Partial<Record<Zone, number>>;
  planned: number;
  total: number;
  /** TPS of this segment per zone (added: the denominators of plannedByZone). */
  totalByZone: Partial<Record<Zone, number>>;
}

export interface PlanDescription {
  /** Arrivals per simulated WIB hour (election day) or per real 10 s / minute (executors). */
  buckets: Array<{ label: string; officers: number; viewers: number; hits: number }>;
  /** What one bucket spans, as a column heading: "WIB hour", "real 10 s", "real minute". */
  bucketWidth: string;
  /** Arrivals by kind over the whole plan. */
  counts: { officers: number; viewers: number; hits: number };
  checkpoints: PlanCheckpoint[];
  /** Highest arrival rate over any one real second, per second. */
  peakPerS: number;
  totalArrivals: number;
  durationMs: number;
}

export interface Plan {
  /** The segment this plan covers (1/1 for the whole). */
  segment: Segment;
  /** Simulated seconds since 00:00 WIB at real t = 0 (null for executors). */
  simOriginS: number | null;
  /** Simulated seconds per real second (1 for executors). */
  timeScale: number;
  /** Real ms from the origin to the last intended arrival. */
  durationMs: number;
  /** TPS (officer sessions) in this segment, in all and per zone. */
  officerCount: number;
  officersByZone: Record<Zone, number>;
  /** Checkpoints with their real instants, per zone. */
  checkpoints: PlanCheckpoint[];
  /** A fresh, lazy, time-ordered iterator over every arrival of this segment. */
  arrivals(): Iterator<Arrival>;
  /** Real ms -> simulated seconds since 00:00 WIB (null for executors). */
  simAt(realMs: number): number | null;
  /** What --dry-run prints; walks the arrivals once (memory stays flat). */
  describe(): PlanDescription;
}

export interface Segment {
  /** 1-based, as written on the CLI: --segment 2/4. */
  index: number;
  count: number;
}
