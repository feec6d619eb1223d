/**
 * The engine's one clock: monotonic microseconds from performance.now(). Wall-clock time
 * (Date.now) can jump (NTP); every intended, write and end instant of a run is on this clock,
 * so latency = end − intended never goes negative or leaps.
 */
import { performance } from 'node:perf_hooks';

/** Monotonic µs (fractional) since this process's time origin. */
export function nowUs(): number {
  return performance.now() * 1000;
}

/**
 * Sleepers per signal, woken by one abort listener: thousands of sessions sleep on the run's
 * stop signal at once, and an EventTarget listener per sleep costs O(sleepers) to remove
 * (and trips the MaxListeners warning).
 */
const sleepers = new WeakMap<AbortSignal, Set<() => void>>();

function onStop(signal: AbortSignal, wake: () => void): Set<() => void> {
  let set = sleepers.get(signal);
  if (!set) {
    const s = new Set<() => void>();
    set = s;
    sleepers.set(signal, s);
    signal.addEventListener('abort', () => { for (const f of [...s]) f(); s.clear(); }, { once: true });
  }
  set.add(wake);
  return set;
}

/**
 * Resolves after `ms` (or at once when ms <= 0), or as soon as `signal` aborts: the only way
 * the engine waits, so that the end of a run never waits for a 5-minute backoff.
 */
export function sleepMs(ms: number, signal?: AbortSignal): Promise<void> {
  if (!(ms > 0) || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    let set: Set<() => void> | null = null;
    const done = (): void => {
      clearTimeout(t);
      set?.delete(done);
      resolve();
    };
    const t = setTimeout(done, ms);
    if (signal) set = onStop(signal, done);
  });
}

/** Waits until the monotonic instant `us` (resolves at once if it has passed). */
export function sleepUntilUs(us: number, signal?: AbortSignal): Promise<void> {
  return sleepMs((us - nowUs()) / 1000, signal);
}
