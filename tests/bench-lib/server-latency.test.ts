/**
 * The soak's reading of the mock's own latency: the window between two cumulative HDR
 * snapshots holds exactly the requests answered in between, at µs resolution.
 */
import { describe, expect, it } from 'vitest';
import { quantileBetween } from '../../bench/lib/server-latency.js';
import { encodeHistogram, newHistogram } from '../../src/result/hdr.js';

describe('quantileBetween', () => {
  it('takes the quantile of the requests between two cumulative snapshots', () => {
    const h = newHistogram();
    for (let i = 0; i < 1000; i++) h.recordValue(5_000); // 5 ms before the window
    const from = encodeHistogram(h);
    for (let i = 1; i <= 1000; i++) h.recordValue(100 + (i % 100)); // 0.100-0.199 ms in it
    const to = encodeHistogram(h);
    const p99 = quantileBetween(from, to, 0.99)!;
    expect(p99).toBeGreaterThanOrEqual(0.198);
    expect(p99).toBeLessThanOrEqual(0.199);
    // Over both, the 5 ms requests would dominate the tail.
    expect(quantileBetween(encodeHistogram(newHistogram()), to, 0.99)).toBeCloseTo(5, 1);
  });

  it('answers null when nothing was answered in between', () => {
    const h = newHistogram();
    h.recordValue(120);
    const s = encodeHistogram(h);
    expect(quantileBetween(s, s, 0.99)).toBeNull();
  });
});
