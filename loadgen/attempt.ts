/**
 * One logical request with retries: send, record, classify, back off, repeat. Each attempt
 * is recorded on its own with its own intended instant (for a retry, the instant the
 * backoff scheduled it), so a retry storm shows as many slow attempts, not one long one.
 * Wrapping send() this way keeps retries out of the transport and out of the sessions.
 */
import type { Rng } from '../src/domain/rng.js';
import type { SeriesName } from '../src/result/types.js';
import { backoffMs } from './backoff.js';
import { nowUs, sleepUntilUs } from './clock.js';
import type { EngineContext } from './context.js';
import { send } from './http/send.js';
import type { HttpResult, RequestSpec } from './http/types.js';
import type { Verdict } from './profile.js';

/** What a session sees when the run ended while it waited to send: nothing was sent or recorded. */
const STOPPED: HttpResult = { status: 0, code: 'STOPPED', retryAfterS: -1, body: null, writeUs: 0, endUs: 0 };

export interface AttemptOutcome {
  res: HttpResult;
  verdict: Verdict;
}

/**
 * Sends `spec` at `intendedUs` (waiting until then if it is in the future), retrying per the
 * scenario's policy. Returns the last attempt and its verdict ('retry' when retries ran out).
 */
export async function exchange(
  ctx: EngineContext, series: SeriesName, step: 'login' | 'upload' | 'read',
  spec: RequestSpec, intendedUs: number, rng: Rng,
): Promise<AttemptOutcome> {
  const policy = ctx.officers.retry;
  let intended = intendedUs;
  for (let attempt = 0; ; attempt++) {
    if (intended > nowUs()) {
      await sleepUntilUs(intended, ctx.stop);
      if (ctx.stopping) return { res: STOPPED, verdict: 'fail' };
    }
    const res = await send(ctx.pool, spec, ctx.officers.attemptTimeoutMs);
    ctx.recorder.request(series, res, intended);
    const verdict = ctx.classify(step, res);
    // Reads are not retried: a viewer just refreshes later, as another arrival.
    if (verdict !== 'retry' || attempt >= policy.max || ctx.stopping || step === 'read') return { res, verdict };
    intended = res.endUs + backoffMs(attempt, policy, rng, res.retryAfterS) * 1000;
  }
}
