/**
 * The one shape every arrival process has here: a numbered sequence of positions
 * 0..total−1 with non-decreasing start times (a zone's officers, the viewers, an executor's
 * hits). A segment takes every N-th position; a source walks a segment's positions lazily,
 * which is what the merge consumes.
 */
import type { ArrivalSource } from './merge.js';
import { countInSegment, firstPosition, WHOLE } from './segment.js';
import type { Arrival, Segment } from './types.js';

export interface Schedule {
  /** Positions in the whole plan (all segments together). */
  readonly total: number;
  /** Real ms since the origin of position j; non-decreasing in j. */
  atMs(j: number): number;
  /** The arrival at position j, as a new object, starting at `atMs` (= this.atMs(j)). */
  arrivalAt(j: number, atMs: number): Arrival;
}

/** Positions of segment s. */
export function countIn(schedule: Schedule, s: Segment = WHOLE): number {
  return countInSegment(schedule.total, s);
}

/** Real ms of the last position of segment s (-Infinity when it holds none). */
export function lastMsIn(schedule: Schedule, s: Segment = WHOLE): number {
  const c = countIn(schedule, s);
  return c === 0 ? -Infinity : schedule.atMs(firstPosition(s) + (c - 1) * s.count);
}

/** A fresh lazy source over segment s's positions (i = K−1, K−1+N, ...). */
export function scheduleSource(schedule: Schedule, s: Segment = WHOLE): ArrivalSource {
  return new ScheduleSource(schedule, firstPosition(s), s.count);
}

/** The same as a generator (for tests and tools). */
export function* scheduleArrivals(schedule: Schedule, s: Segment = WHOLE): Generator<Arrival> {
  const src = scheduleSource(schedule, s);
  while (src.headMs !== Infinity) yield src.take();
}

class ScheduleSource implements ArrivalSource {
  headMs: number;
  private j: number;

  constructor(private readonly schedule: Schedule, first: number, private readonly step: number) {
    this.j = first;
    this.headMs = first < schedule.total ? schedule.atMs(first) : Infinity;
  }

  take(): Arrival {
    const a = this.schedule.arrivalAt(this.j, this.headMs);
    this.j += this.step;
    this.headMs = this.j < this.schedule.total ? this.schedule.atMs(this.j) : Infinity;
    return a;
  }
}
