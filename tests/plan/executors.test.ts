import { describe, expect, it } from 'vitest';
import { Hierarchy } from '../../src/domain/index.js';
import { ConstantRate } from '../../loadgen/plan/constant-rate.js';
import { buildPlan, formatPlanDescription } from '../../loadgen/plan/plan.js';
import { RampingRate } from '../../loadgen/plan/ramping-rate.js';
import { RateCurve } from '../../loadgen/plan/rate.js';
import { scheduleArrivals } from '../../loadgen/plan/schedule.js';
import type { Arrival, Plan } from '../../loadgen/plan/types.js';
import { constantRate, rampingRate } from './fixtures.js';

const h = new Hierarchy({ election: 'pilkada-2024', scale: 0.01, seed: 1, regions: 'all' });

function all(plan: Plan): Arrival[] {
  const out: Arrival[] = [];
  const it = plan.arrivals();
  for (let r = it.next(); !r.done; r = it.next()) out.push(r.value);
  return out;
}

describe('constant-rate', () => {
  it('sends 500 progress reads a second for 60 s: 30,000 hits, hit j at j/500 s', () => {
    const plan = buildPlan(constantRate({ rate: 500, durationMs: 60_000 }), h);
    const hits = all(plan);
    expect(hits).toHaveLength(30_000);
    hits.forEach((a, j) => {
      if (a.atMs !== j * 2 || a.kind !== 'hit' || a.request !== 'read:progress' || a.tps !== -1) throw new Error(`hit ${j}: ${JSON.stringify(a)}`);
    });
    expect(plan.durationMs).toBe(59_998);
    expect(plan.simOriginS).toBeNull();
    expect(plan.simAt(1000)).toBeNull();
    expect(plan.checkpoints).toEqual([]);
  });

  it('rounds rate × duration to whole hits (7/s for 1.5 s is 11 hits: 0, 1/7 … 10/7 s)', () => {
    const c = new ConstantRate({ rate: 7, durationMs: 1500, request: 'read:hhcw' });
    expect(c.total).toBe(11);
    expect(c.atMs(10)).toBeCloseTo(10_000 / 7, 9);
    expect(new ConstantRate({ rate: 0.1, durationMs: 30_000, request: 'read:hhcw' }).total).toBe(3);
  });

  it('describes itself per real 10 s: six buckets of 5,000, peak 500/s', () => {
    const d = buildPlan(constantRate({ rate: 500, durationMs: 60_000 }), h).describe();
    expect(d.bucketWidth).toBe('real 10 s');
    expect(d.buckets.map((b) => b.hits)).toEqual([5000, 5000, 5000, 5000, 5000, 5000]);
    expect(d.buckets.map((b) => b.label)).toEqual(['00:00', '00:10', '00:20', '00:30', '00:40', '00:50']);
    expect(d.peakPerS).toBe(500);
    expect(d.totalArrivals).toBe(30_000);
    expect(formatPlanDescription(d)).toContain('30,000 arrivals over 59.998s; peak 500/s');
  });

  it('gives login hits a TPS each, every TPS once before any repeats', () => {
    const hits = all(buildPlan(constantRate({ rate: 100, durationMs: 60_000, request: 'login' }), h));
    expect(hits).toHaveLength(6000);
    const first = new Set(hits.slice(0, h.totalTps).map((a) => a.tps));
    expect(first.size).toBe(Math.min(6000, h.totalTps));
    for (const a of hits) expect(a.tps >= 0 && a.tps < h.totalTps).toBe(true);
  });

  it('splits hits across segments: segment K of N takes every N-th, the union is every hit', () => {
    const whole = all(buildPlan(constantRate({ rate: 50, durationMs: 10_000 }), h)).map((a) => a.atMs);
    const parts = [1, 2, 3].flatMap((index) => all(buildPlan(constantRate({ rate: 50, durationMs: 10_000 }), h, { index, count: 3 })).map((a) => a.atMs));
    expect(parts.sort((a, b) => a - b)).toEqual(whole);
  });
});

describe('ramping-rate', () => {
  // k6-style: from 0 to 100/s over 30 s, hold 60 s, back to 0 over 30 s.
  const stages = [{ durationMs: 30_000, target: 100 }, { durationMs: 60_000, target: 100 }, { durationMs: 30_000, target: 0 }];
  /** The analytic integral of that rate from 0 to t seconds. */
  const integral = (t: number): number => {
    if (t <= 30) return (100 / 30) * t * t / 2;
    if (t <= 90) return 1500 + 100 * (t - 30);
    const u = Math.min(t, 120) - 90;
    return 7500 + 100 * u - (100 / 30) * u * u / 2;
  };

  it('sends as many hits by every instant as the integral of its rate', () => {
    const r = new RampingRate({ startRate: 0, stages, request: 'login' });
    expect(r.total).toBe(9000);
    expect(r.durationMs).toBe(120_000);
    const times = [...scheduleArrivals(r)].map((a) => a.atMs);
    expect(times).toHaveLength(9000);
    let i = 0;
    for (let t = 0; t <= 120; t += 0.25) {
      while (i < times.length && times[i] <= t * 1000) i++;
      // Hit j at C⁻¹(j), j = 0..: by t, floor(C(t)) + 1 hits.
      if (Math.abs(i - (Math.floor(integral(t)) + 1)) > 1) throw new Error(`at ${t} s: ${i} hits, integral ${integral(t)}`);
    }
  });

  it('inverts its quadratic cumulative exactly (C(C⁻¹(n)) = n)', () => {
    const r = new RampingRate({ startRate: 20, stages: [{ durationMs: 10_000, target: 200 }, { durationMs: 5_000, target: 5 }], request: 'read:progress' });
    const c = r.curve;
    expect(c.total).toBeCloseTo(10 * 110 + 5 * 102.5, 9);
    for (let n = 0; n <= c.total; n += 17.3) expect(c.cumulative(c.inverse(n))).toBeCloseTo(n, 7);
    for (let t = 0; t <= 15; t += 0.37) expect(c.inverse(c.cumulative(t))).toBeCloseTo(t, 7);
  });

  it('holds a flat zero stage without hits, and resumes after it', () => {
    const c = new RateCurve([{ t: 0, rate: 10 }, { t: 10, rate: 0 }, { t: 20, rate: 0 }, { t: 30, rate: 10 }]);
    expect(c.total).toBeCloseTo(100, 12);
    expect(c.inverse(50)).toBe(10);
    expect(c.inverse(50 + 1e-9)).toBeGreaterThan(20);
  });

  it('is the constant-rate executor, hit for hit, with a flat stage', () => {
    const ramp = new RampingRate({ startRate: 40, stages: [{ durationMs: 20_000, target: 40 }], request: 'read:hhcw' });
    const flat = new ConstantRate({ rate: 40, durationMs: 20_000, request: 'read:hhcw' });
    expect(ramp.total).toBe(flat.total);
    for (let j = 0; j < flat.total; j++) expect(ramp.atMs(j)).toBeCloseTo(flat.atMs(j), 6);
  });

  it('plans and describes a two-minute ramp of logins', () => {
    const plan = buildPlan(rampingRate({ stages }), h);
    const d = plan.describe();
    expect(d.totalArrivals).toBe(9000);
    expect(d.counts.hits).toBe(9000);
    expect(d.peakPerS).toBeGreaterThanOrEqual(100);
    expect(d.peakPerS).toBeLessThanOrEqual(101);
    expect(d.buckets).toHaveLength(12);
    expect(d.buckets[0].hits).toBe(Math.floor(integral(10)) + 1);
  });

  it('names the stage and the expectation when a stage is bad', () => {
    expect(() => new RampingRate({ startRate: 0, stages: [{ durationMs: 1000, target: -5 }], request: 'login' }))
      .toThrow(/stages\[0\]\.target: expected hits per second >= 0, got -5/);
    expect(() => new RampingRate({ startRate: -1, stages: [], request: 'login' })).toThrow(/startRate/);
  });
});
