/**
 * One zone's officer arrivals: position i of the zone's N TPS starts at local time
 * F⁻¹((i + ½) / N), converted to real ms; the TPS at position i is the zone's perm(i)-th TPS
 * (zone-local index mapped to the global Hierarchy index through the zone's ranges). Lazy:
 * it holds the curve, the clock, a keyed permutation and the zone's few index ranges, never
 * one value per TPS.
 */
import { hashString } from '../../src/domain/rng.js';
import type { Zone } from '../../src/domain/zones.js';
import type { PlanClock } from './clock.js';
import type { Curve } from './curve.js';
import type { ArrivalSource } from './merge.js';
import { seededPermutation, type Permutation } from './permutation.js';
import { scheduleArrivals, scheduleSource, type Schedule } from './schedule.js';
import { countInSegment, WHOLE } from './segment.js';
import type { Arrival, Segment } from './types.js';

export interface ZoneOfficersOptions {
  zone: Zone;
  /** Global TPS index ranges [start, count] of the zone (Hierarchy.zoneRanges). */
  ranges: ReadonlyArray<readonly [number, number]>;
  curve: Curve;
  clock: PlanClock;
  /** The run seed; the zone's permutation key derives from it and the zone. */
  seed: number;
}

/** The permutation key of a zone's officer order. */
export function officerKey(seed: number, zone: Zone): number {
  return hashString(`plan/officers/${zone}`, seed);
}

export class ZoneOfficers implements Schedule {
  readonly zone: Zone;
  /** N: the zone's TPS in the whole plan (all segments). */
  readonly total: number;
  private readonly curve: Curve;
  private readonly clock: PlanClock;
  private readonly perm: Permutation;
  /** Zone-local index at which each range begins, and the range's global start. */
  private readonly localStarts: Int32Array;
  private readonly globalStarts: Int32Array;

  constructor(opts: ZoneOfficersOptions) {
    this.zone = opts.zone;
    this.curve = opts.curve;
    this.clock = opts.clock;
    this.localStarts = new Int32Array(opts.ranges.length);
    this.globalStarts = new Int32Array(opts.ranges.length);
    let n = 0;
    opts.ranges.forEach(([start, count], r) => {
      this.localStarts[r] = n;
      this.globalStarts[r] = start;
      n += count;
    });
    this.total = n;
    this.perm = seededPermutation(n, officerKey(opts.seed, opts.zone));
  }

  /** Local minute at which position i starts: F⁻¹((i + ½) / N). */
  localMinAt(i: number): number {
    return this.curve.inverse((i + 0.5) / this.total);
  }

  /** Real ms since the origin at which position i starts. */
  realMsAt(i: number): number {
    return this.clock.localMinToRealMs(this.zone, this.localMinAt(i));
  }

  /** Global Hierarchy index of the TPS at position i. */
  tpsAt(i: number): number {
    const j = this.perm.at(i);
    const ls = this.localStarts;
    let lo = 0;
    let hi = ls.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ls[mid] <= j) lo = mid;
      else hi = mid - 1;
    }
    return this.globalStarts[lo] + (j - ls[lo]);
  }

  /** TPS of segment s in this zone. */
  countIn(s: Segment = WHOLE): number {
    return countInSegment(this.total, s);
  }

  /**
   * How many positions (of segment s) start at or before real ms `realMs`. Estimated from the
   * curve, then settled against the very start times the iterator yields, so the count always
   * agrees with a walk of the arrivals.
   */
  startedBy(realMs: number, s: Segment = WHOLE): number {
    const n = this.total;
    if (n === 0) return 0;
    const localMin = this.clock.realMsToLocalMin(this.zone, realMs);
    let m = Math.floor(this.curve.at(localMin) * n - 0.5) + 1;
    m = m < 0 ? 0 : m > n ? n : m;
    while (m < n && this.realMsAt(m) <= realMs) m++;
    while (m > 0 && this.realMsAt(m - 1) > realMs) m--;
    return countInSegment(m, s);
  }

  /** Positions of segment s that start by local time `localMin` in this zone. */
  plannedBy(localMin: number, s: Segment = WHOLE): number {
    return this.startedBy(this.clock.localMinToRealMs(this.zone, localMin), s);
  }

  /** Schedule: real ms of position i. */
  atMs(i: number): number {
    return this.realMsAt(i);
  }

  /** Schedule: the officer arrival at position i. */
  arrivalAt(i: number, atMs: number): Arrival {
    return { atMs, kind: 'officer', tps: this.tpsAt(i), request: null };
  }

  /** A fresh, lazy, time-ordered source over segment s's positions. */
  source(s: Segment = WHOLE): ArrivalSource {
    return scheduleSource(this, s);
  }

  /** The same as an iterable (for tests and tools). */
  arrivals(s: Segment = WHOLE): Generator<Arrival> {
    return scheduleArrivals(this, s);
  }
}
