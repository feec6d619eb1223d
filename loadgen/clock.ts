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

/** Resolves after `ms` (or at once when ms <= 0): the only way the engine waits. */
export function sleepMs(ms: number): Promise<void> {
  if (!(ms > 0)) return Promise.resolve();
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until the monotonic instant `us` (resolves at once if it has passed). */
export function sleepUntilUs(us: number): Promise<void> {
  return sleepMs((us - nowUs()) / 1000);
}
