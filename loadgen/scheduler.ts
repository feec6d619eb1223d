/**
 * The open-model scheduler. It walks the plan's arrivals in time order and starts each one
 * at its intended instant, whatever the target is doing: replies never pace arrivals
 * (principle 1). When it falls behind (a busy event loop, a burst) it catches up without
 * sleeping; each late start carries its intended instant, so the lag lands in the schedule
 * lag and latency figures instead of silently shifting the schedule (wrk2's lesson). When
 * the in-flight cap is reached the arrival is counted dropped and not started.
 *
 * Waiting: until the next arrival is due the loop sleeps, reading responses meanwhile, and
 * costs CPU only for the work it does. Sleeps of WAKER_FROM_US or more end on waker.ts's
 * thread, precise to tens of µs (Node's timers have 1 ms granularity: at low rates every
 * request would go out up to 1-2 ms late); sleeps longer than COARSE_ABOVE_US start on a timer
 * that ends COARSE_ABOVE_US early. Shorter sleeps (above ~2,000 arrivals/s) use a 1 ms timer,
 * as wrk2 does: due arrivals then start in small batches, and the schedule lag records it.
 * Only when the next arrival is under SPIN_BELOW_US away does the loop take setImmediate turns
 * (reading responses in each): above ~10,000 arrivals/s a 1 ms sleep would leave freed
 * connections idle. The first version spun before every arrival and took a whole core at any
 * rate (91% at 1,000/s): on a 2-core machine that core belongs to the target and the kernel,
 * and a 30-minute soak showed the price as latency episodes of ~1 s. Due arrivals start in
 * batches; a full batch yields one setImmediate turn so that responses are read in between.
 *
 * At the in-flight cap the loop does not spin: it sleeps until a running arrival finishes (or
 * at most SATURATED_WAIT_US), then drops every arrival that came due before the first slot
 * was freed (they were due while the cap was reached) and starts the later ones. Same
 * drops as checking at every turn, without burning the core the responses need.
 */
import { setImmediate as immediate, setTimeout as delay } from 'node:timers/promises';
import { nowUs } from './clock.js';
import type { Arrival } from './plan/types.js';
import { waker } from './waker.js';

/** Arrivals started in one turn of the event loop at most. */
const BATCH = 256;
/** Closer than this (µs), the next arrival is awaited with setImmediate turns, not a timer. */
const SPIN_BELOW_US = 100;
/**
 * Sleeps from this long (µs) end on the waker's thread; shorter ones on a 1 ms timer. A wake-up
 * costs ~0.1 ms of CPU on a VM: above ~2,000 arrivals/s a wake-up per arrival cost more than it
 * gave (P2 at 5k / 10k/s: lag p99 no better, 2× the CPU), while below, every request's latency
 * would carry up to 1-2 ms of the timer's lateness.
 */
const WAKER_FROM_US = 500;
// A shorter sleep also ends on the waker when the schedule itself is that sparse (the next
// arrival is WAKER_FROM_US or more after the last): the loop was late, and a 1 ms timer would
// turn a fraction of a millisecond of lateness into 1-2 ms. That still wakes at most once per
// WAKER_FROM_US of schedule.
/** Longer sleeps (µs) start on a timer that ends this much early; the waker does the rest. */
const COARSE_ABOVE_US = 5000;
/** Longest sleep at the in-flight cap (µs): bounds how late a drop is counted. */
const SATURATED_WAIT_US = 2000;

export interface ScheduleOptions {
  arrivals: Iterator<Arrival>;
  /** Monotonic µs of t = 0. */
  originUs: number;
  /** In-flight arrivals (sessions or single requests) at most; more are dropped. */
  maxInFlight: number;
  signal?: AbortSignal;
  /** Wait on Node's timers only (1 ms granularity), not on the waker's thread (comparisons). */
  timersOnly?: boolean;
  /** Starts an arrival; the promise settles when it is finished (never rejects). */
  start(arrival: Arrival, intendedUs: number): Promise<unknown>;
  onOffered?(arrival: Arrival, nowUs: number): void;
  onDropped?(arrival: Arrival, nowUs: number): void;
}

export interface Scheduler {
  /** Resolves when every arrival has been started or dropped (or the signal aborted). */
  readonly done: Promise<{ aborted: boolean; started: number; dropped: number }>;
  inFlight(): number;
  /** Resolves when nothing is in flight any more. */
  idle(): Promise<void>;
}

export function schedule(o: ScheduleOptions): Scheduler {
  let inFlight = 0;
  let idleWaiters: Array<() => void> = [];
  /** Set while the loop sleeps at the cap: called with the instant the first slot was freed. */
  let slotWaiter: ((freedUs: number) => void) | null = null;
  const settle = (): void => {
    inFlight--;
    if (slotWaiter !== null) {
      const w = slotWaiter;
      slotWaiter = null;
      w(nowUs());
    }
    if (inFlight === 0 && idleWaiters.length > 0) {
      const w = idleWaiters;
      idleWaiters = [];
      for (const f of w) f();
    }
  };

  const run = async (): Promise<{ aborted: boolean; started: number; dropped: number }> => {
    const wake = waker();
    wake.acquire(); // starts its thread on first use: the first few ms of sleeps use timers
    try {
      return await walk(wake);
    } finally {
      wake.release();
    }
  };

  const walk = async (wake: ReturnType<typeof waker>): Promise<{ aborted: boolean; started: number; dropped: number }> => {
    let started = 0;
    let dropped = 0;
    let next = o.arrivals.next();
    // Arrivals due before this instant came due while the cap was reached: dropped.
    let dropBeforeUs = 0;
    // Plan time of the last arrival taken: the gap to the next one says how sparse the schedule is.
    let lastAtMs = -Infinity;
    while (!next.done) {
      if (o.signal?.aborted) return { aborted: true, started, dropped };
      const now = nowUs();
      let batch = 0;
      while (!next.done) {
        const a = next.value;
        const intendedUs = o.originUs + a.atMs * 1000;
        if (intendedUs > now) break;
        o.onOffered?.(a, now);
        if (inFlight >= o.maxInFlight || intendedUs < dropBeforeUs) {
          dropped++;
          o.onDropped?.(a, now);
        } else {
          inFlight++;
          started++;
          let p: Promise<unknown>;
          try { p = o.start(a, intendedUs); } catch { p = Promise.resolve(); }
          p.then(settle, settle);
        }
        lastAtMs = a.atMs;
        next = o.arrivals.next();
        if (++batch >= BATCH) break;
      }
      if (next.done) break;
      const nextUs = o.originUs + next.value.atMs * 1000;
      const waitUs = nextUs - nowUs();
      if (inFlight >= o.maxInFlight && batch < BATCH) {
        // At the cap: sleep until a slot frees (or the bounded wait ends).
        const sleptAt = nowUs();
        dropBeforeUs = await waitForSlot(Math.max(waitUs, SATURATED_WAIT_US));
        if (dropBeforeUs === 0) dropBeforeUs = sleptAt;
      } else if (batch < BATCH && waitUs > COARSE_ABOVE_US) {
        await delay((waitUs - COARSE_ABOVE_US) / 1000, undefined, { signal: o.signal }).catch(() => undefined);
      } else if (batch < BATCH && !o.timersOnly && (waitUs >= WAKER_FROM_US
        || (waitUs > SPIN_BELOW_US && (next.value.atMs - lastAtMs) * 1000 >= WAKER_FROM_US))) {
        await wake.sleepUntil(nextUs);
      } else if (batch < BATCH && waitUs > SPIN_BELOW_US) {
        await delay(waitUs / 1000);
      } else {
        await immediate();
      }
    }
    return { aborted: false, started, dropped };
  };

  /** Resolves with the instant the first slot was freed, or 0 after `maxUs` (or on abort). */
  const waitForSlot = (maxUs: number): Promise<number> => new Promise<number>((resolve) => {
    let timer: NodeJS.Timeout | null = null;
    const onAbort = (): void => wake(0);
    const wake = (freedUs: number): void => {
      if (timer !== null) clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      slotWaiter = null;
      resolve(freedUs);
    };
    slotWaiter = wake;
    timer = setTimeout(() => wake(0), maxUs / 1000);
    o.signal?.addEventListener('abort', onAbort, { once: true });
  });

  return {
    done: run(),
    inFlight: () => inFlight,
    idle: () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((r) => idleWaiters.push(r))),
  };
}
