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
 * Resolves after `ms` (or at once when ms <= 0), or as soon as `signal` aborts: the only way
 * the engine waits, so that the end of a run never waits for a 5-minute backoff.
 */
export function sleepMs(ms: number, signal?: AbortSignal): Promise<void> {
  if (!(ms > 0) || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Waits until the monotonic instant `us` (resolves at once if it has passed). */
export function sleepUntilUs(us: number, signal?: AbortSignal): Promise<void> {
  return sleepMs((us - nowUs()) / 1000, signal);
}
