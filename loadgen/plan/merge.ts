/**
 * A k-way merge of time-ordered arrival sources into one time-ordered stream. k is tiny (three
 * zones, viewers, or one executor), so a linear scan for the minimum beats a heap. Ties go to
 * the earlier source (WIB, WITA, WIT, then viewers), which keeps the stream deterministic.
 */
import type { Arrival } from './types.js';

/** A time-ordered, lazy source of arrivals (one zone's officers, the viewers, an executor). */
export interface ArrivalSource {
  /** Real ms of the next arrival; Infinity once exhausted. */
  readonly headMs: number;
  /** The next arrival, as a new object, then advance. Only call while headMs is finite. */
  take(): Arrival;
}

/** An iterator over the merged stream; `lastSource` tells which source the last arrival came from. */
export class MergedArrivals implements IterableIterator<Arrival> {
  /** Index (into the sources given) of the arrival last returned, -1 before the first. */
  lastSource = -1;
  private readonly sources: ArrivalSource[];

  constructor(sources: readonly ArrivalSource[]) {
    this.sources = [...sources];
  }

  next(): IteratorResult<Arrival> {
    const s = this.sources;
    let best = -1;
    let bestMs = Infinity;
    for (let k = 0; k < s.length; k++) {
      const h = s[k].headMs;
      if (h < bestMs) {
        bestMs = h;
        best = k;
      }
    }
    if (best < 0) return { done: true, value: undefined };
    this.lastSource = best;
    return { done: false, value: s[best].take() };
  }

  [Symbol.iterator](): IterableIterator<Arrival> {
    return this;
  }
}

/** Wraps any iterable of arrivals (already time-ordered) as a source. */
export function sourceOf(it: Iterator<Arrival>): ArrivalSource {
  let head = it.next();
  return {
    get headMs() {
      return head.done ? Infinity : head.value.atMs;
    },
    take() {
      if (head.done) throw new RangeError('arrival source: take() after the end');
      const v = head.value;
      head = it.next();
      return v;
    },
  };
}
