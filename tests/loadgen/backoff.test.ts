import { describe, expect, it } from 'vitest';
import { backoffMs } from '../../loadgen/backoff.js';
import { mulberry32 } from '../../src/domain/rng.js';
import { parseRetryAfter } from '../../loadgen/http/send.js';

const policy = { max: 8, baseMs: 2000, capMs: 300_000, jitter: 'full' as const, honourRetryAfter: true };

describe('retry backoff (exponential, full jitter)', () => {
  it('keeps every delay within [0, min(cap, base·2^attempt)]', () => {
    const rng = mulberry32(7);
    for (let attempt = 0; attempt < 12; attempt++) {
      const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** attempt);
      let max = 0;
      for (let i = 0; i < 2000; i++) {
        const d = backoffMs(attempt, policy, rng);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(ceiling);
        max = Math.max(max, d);
      }
      // Full jitter spreads over the whole range, not just near the ceiling.
      expect(max).toBeGreaterThan(ceiling * 0.95);
    }
  });

  it('never waits more than the 5-minute cap, even after 30 failures', () => {
    expect(backoffMs(30, { ...policy, jitter: 'none' }, () => 0.5)).toBe(300_000);
    expect(backoffMs(1000, policy, () => 0.999)).toBeLessThanOrEqual(300_000);
  });

  it("honours a server's Retry-After as a floor", () => {
    expect(backoffMs(0, policy, () => 0, 7)).toBe(7000);
    expect(backoffMs(0, { ...policy, honourRetryAfter: false }, () => 0, 7)).toBe(0);
    // A longer jittered delay is kept.
    expect(backoffMs(10, { ...policy, jitter: 'none' }, () => 0, 1)).toBe(300_000);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3);
    expect(parseRetryAfter(' 1.5 ')).toBe(1.5);
    const d = new Date(Date.now() + 10_000).toUTCString();
    expect(parseRetryAfter(d)).toBeGreaterThan(8);
    expect(parseRetryAfter('soon')).toBe(-1);
  });
});
