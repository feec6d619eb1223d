/**
 * Retry delays: exponential backoff with full jitter (AWS Architecture Blog, "Exponential
 * Backoff And Jitter"): delay = random(0, min(cap, base·2^attempt)). Full jitter spreads a
 * crowd of officers that failed together, so a recovering server is not hit in lockstep.
 * A server's Retry-After (seconds) is a floor when the policy honours it: the server knows
 * its own queue better than the client's formula.
 */
import type { RetryPolicy } from '../src/scenario/types.js';

/** Milliseconds to wait before retry number `attempt` (0 = first retry). */
export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number, retryAfterS = -1): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  let delay = policy.jitter === 'full' ? random() * ceiling : ceiling;
  if (policy.honourRetryAfter && retryAfterS >= 0) delay = Math.max(delay, retryAfterS * 1000);
  return delay;
}
