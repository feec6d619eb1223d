/**
 * Sub-millisecond wake-ups for the scheduler. Node's timers have 1 ms granularity (libuv
 * rounds its poll timeout to whole milliseconds), so an arrival due 300 µs from now started
 * 1-2 ms late: P2 measured lag p99 2.25 ms at 5,000/s. Spinning on setImmediate until the
 * instant is exact but takes a whole core at any rate, a core the target needs on a small
 * machine.
 *
 * Here a worker thread does the precise part: it sleeps in the kernel (Atomics.wait with a
 * fractional timeout is a futex wait, accurate to tens of µs) until the earliest deadline
 * asked for, then posts a message. The main thread meanwhile sits in its ordinary poll,
 * reading responses as they come, and wakes on the message. Costs: one thread per process,
 * a few µs per wake-up, no spinning. Until the thread is up (it starts in ~20 ms), or if it
 * cannot start, sleeps fall back to timers.
 *
 * Deadlines are on the engine's clock (clock.ts nowUs); the thread reads the same monotonic
 * clock through process.hrtime, and the offset between the two is measured once.
 */
import { Worker } from 'node:worker_threads';
import { nowUs } from './clock.js';

// The worker's whole program (plain JS, so it runs the same from sources and from dist/).
// Shared words: [0] sequence (bumped by the main thread on every new deadline), [1] fired
// (bumped by the thread at the deadline; the main thread awaits it with Atomics.waitAsync,
// cheaper than a message), then a Float64 deadline in hrtime µs (0: none).
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const seq = new Int32Array(workerData, 0, 2);
const deadline = new Float64Array(workerData, 8, 1);
const hrUs = () => Number(process.hrtime.bigint()) / 1000;
let fired = -1;
for (;;) {
  const s = Atomics.load(seq, 0);
  const d = deadline[0];
  if (d === 0 || s === fired) { Atomics.wait(seq, 0, s); continue; }
  const left = d - hrUs();
  if (left > 0 && Atomics.wait(seq, 0, s, left / 1000) !== 'timed-out') continue;
  fired = s;
  Atomics.add(seq, 1, 1);
  Atomics.notify(seq, 1);
}
`;

/** Atomics.waitAsync (Node >= 16; typed only in TypeScript's es2024 lib). */
const waitAsync = (Atomics as unknown as {
  waitAsync(a: Int32Array, index: number, value: number): { async: boolean; value: Promise<string> | string };
}).waitAsync as (a: Int32Array, index: number, value: number) => { async: true; value: Promise<string> } | { async: false; value: string };

interface Sleeper { atUs: number; resolve: () => void }

class Waker {
  private readonly seq: Int32Array;
  private readonly deadline: Float64Array;
  private readonly worker: Worker;
  private ready = false;
  private broken = false;
  /** hrtime µs − nowUs(): both are CLOCK_MONOTONIC. */
  private readonly offsetUs: number;
  /** Pending sleeps, earliest first (a handful at most: one per running scheduler). */
  private sleepers: Sleeper[] = [];
  private users = 0;
  /** An Atomics.waitAsync on the fired word is pending. */
  private listening = false;

  constructor() {
    const shared = new SharedArrayBuffer(16);
    this.seq = new Int32Array(shared, 0, 2);
    this.deadline = new Float64Array(shared, 8, 1);
    this.offsetUs = Number(process.hrtime.bigint()) / 1000 - nowUs();
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: shared });
    this.worker.unref();
    this.worker.once('online', () => { this.ready = true; this.arm(); });
    this.worker.once('error', () => this.fail());
    this.worker.once('exit', () => this.fail());
  }

  /** Keeps the thread (and the process) alive while a scheduler uses it. */
  acquire(): void {
    if (this.users++ === 0) this.worker.ref();
  }

  release(): void {
    if (--this.users === 0) this.worker.unref();
  }

  /** True once sleeps end on the thread (false before it started, or if it failed). */
  precise(): boolean {
    return this.ready && !this.broken;
  }

  /** Resolves at `atUs` (engine clock), within tens of µs once the thread is up. */
  sleepUntil(atUs: number): Promise<void> {
    if (!this.ready || this.broken) return timerSleep(atUs);
    return new Promise<void>((resolve) => {
      const s: Sleeper = { atUs, resolve };
      let i = this.sleepers.length;
      while (i > 0 && this.sleepers[i - 1].atUs > atUs) i--;
      this.sleepers.splice(i, 0, s);
      if (i === 0) this.arm();
    });
  }

  /** Points the thread at the earliest deadline (or at none). */
  private arm(): void {
    if (!this.ready || this.broken) return;
    const first = this.sleepers[0];
    // Listen before the thread can fire: it may fire as soon as it is notified.
    if (first && !this.listening) this.listen(Atomics.load(this.seq, 1));
    this.deadline[0] = first ? first.atUs + this.offsetUs : 0;
    Atomics.add(this.seq, 0, 1);
    Atomics.notify(this.seq, 0);
  }

  /** Wakes this thread when the fired word moves on from `fired`. */
  private listen(fired: number): void {
    this.listening = true;
    const w = waitAsync(this.seq, 1, fired);
    const done = (): void => { this.listening = false; this.wake(); };
    if (w.async) void w.value.then(done);
    else queueMicrotask(done);
  }

  /** The thread fired: resolve every sleep that is due, and re-arm for the next. */
  private wake(): void {
    const now = nowUs();
    let n = 0;
    // Only sleepers whose instant has passed: a wake-up is never early, even by a few µs (the
    // thread may fire a hair before the instant; then it is simply pointed at it again).
    while (n < this.sleepers.length && this.sleepers[n].atUs <= now) n++;
    if (n === 0) { this.arm(); return; }
    const due = this.sleepers.splice(0, n);
    this.arm();
    for (const s of due) s.resolve();
  }

  /** The thread is gone: hand every pending sleep to a timer. */
  private fail(): void {
    if (this.broken) return;
    this.broken = true;
    for (const s of this.sleepers.splice(0)) void timerSleep(s.atUs).then(s.resolve);
  }
}

/** A timer's sleep, never ending early (libuv's cached loop time can fire one before its instant). */
function timerSleep(atUs: number): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      const ms = (atUs - nowUs()) / 1000;
      if (ms <= 0) resolve();
      else setTimeout(check, Math.ceil(ms));
    };
    check();
  });
}

let shared: Waker | null = null;

/** The process's waker (one thread, shared by every scheduler), started on first use. */
export function waker(): Pick<Waker, 'acquire' | 'release' | 'sleepUntil' | 'precise'> {
  if (!shared) shared = new Waker();
  return shared;
}
