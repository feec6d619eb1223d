import { describe, expect, it } from 'vitest';
import { findKnee, type ProbeStep } from '../../loadgen/probe.js';

const step = (connections: number, rps: number, p99Ms: number): ProbeStep =>
  ({ connections, rps, p99Ms, p50Ms: 0, maxMs: p99Ms, non2xx: 0, errors: 0 });

describe('probe knee', () => {
  it('is the last step before throughput stops growing while p99 climbs', () => {
    const steps = [step(8, 1000, 5), step(16, 1900, 6), step(32, 1950, 15), step(64, 1960, 40)];
    expect(findKnee(steps)).toBe(1);
  });
  it('is not reached while throughput keeps growing', () => {
    expect(findKnee([step(8, 1000, 5), step(16, 1900, 6), step(32, 3000, 9)])).toBe(-1);
  });
});
