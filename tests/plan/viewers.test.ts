import { describe, expect, it } from 'vitest';
import { PlanClock } from '../../loadgen/plan/clock.js';
import { scheduleArrivals } from '../../loadgen/plan/schedule.js';
import { ReadMix, Viewers } from '../../loadgen/plan/viewers.js';
import type { CurvePoint, ViewerConfig } from '../../src/scenario/types.js';

/** A WIB-only day from 13:00 at timeScale 60: one simulated hour is one real minute. */
const clock = new PlanClock('local', 13 * 3600, 60);
const pts = (...p: Array<[number, number]>): CurvePoint[] => p.map(([h, value]) => ({ atMin: h * 60, value }));
const mix = { progress: 0.6, hhcw: 0.4, wilayah: 0 };

describe('viewer reads', () => {
  it('follow the rate curve: 0→50/s by 19:00 WIB then down to 20/s at 24:00 is 19,500 reads', () => {
    const v = new Viewers({ rate: pts([13, 0], [19, 50], [24, 20]), mix }, clock, 1);
    expect(v.total).toBe(19_500);
    // The cumulative count by real t is the integral of the rate: on the ramp, 50/360 · t² / 2.
    const times = [...scheduleArrivals(v)].map((a) => a.atMs);
    const by = (s: number) => times.filter((t) => t <= s * 1000).length;
    for (const s of [60, 180, 360]) expect(Math.abs(by(s) - (50 / 360) * s * s / 2)).toBeLessThanOrEqual(1);
    // After 19:00: 9,000 + 50·τ − (30/300)·τ²/2.
    for (const tau of [100, 300]) expect(Math.abs(by(360 + tau) - (9000 + 50 * tau - (30 / 300) * tau * tau / 2))).toBeLessThanOrEqual(1);
  });

  it('are evenly spaced at a flat rate: 10/s for an hour (a real minute) is 600 reads 100 ms apart', () => {
    const v = new Viewers({ rate: pts([13, 10], [14, 10]), mix }, clock, 1);
    const times = [...scheduleArrivals(v)].map((a) => a.atMs);
    expect(times).toHaveLength(600);
    expect(times[0]).toBeCloseTo(50, 9);
    for (let j = 1; j < times.length; j++) expect(times[j] - times[j - 1]).toBeCloseTo(100, 6);
  });

  it('skip the part of the curve before the plan starts (12:00 WIB, origin 13:00)', () => {
    const v = new Viewers({ rate: pts([12, 10], [14, 10]), mix }, clock, 1);
    expect(v.total).toBe(600);
    expect(v.atMs(0)).toBeGreaterThanOrEqual(0);
  });

  it('are absent without a rate', () => {
    expect(new Viewers({ rate: [], mix }, clock, 1).total).toBe(0);
    expect(new Viewers({ rate: pts([13, 10]), mix }, clock, 1).total).toBe(0);
  });

  it.each<[string, ViewerConfig['mix']]>([
    ['60% progress, 40% hhcw', { progress: 0.6, hhcw: 0.4, wilayah: 0 }],
    ['50% progress, 30% hhcw, 20% wilayah', { progress: 0.5, hhcw: 0.3, wilayah: 0.2 }],
    ['weights that do not add up to one (3:1:1)', { progress: 3, hhcw: 1, wilayah: 1 }],
  ])('keep the read mix within 1%% (%s)', (_, m) => {
    const v = new Viewers({ rate: pts([13, 0], [19, 50], [24, 20]), mix: m }, clock, 9);
    const n = { 'read:progress': 0, 'read:hhcw': 0, 'read:wilayah': 0 } as Record<string, number>;
    for (const a of scheduleArrivals(v)) n[a.request!]++;
    const sum = m.progress + m.hhcw + m.wilayah;
    expect(Math.abs(n['read:progress'] / v.total - m.progress / sum)).toBeLessThan(0.01);
    expect(Math.abs(n['read:hhcw'] / v.total - m.hhcw / sum)).toBeLessThan(0.01);
    expect(Math.abs(n['read:wilayah'] / v.total - m.wilayah / sum)).toBeLessThan(0.01);
    // Every short run keeps it too (a low-discrepancy sequence, not coin flips).
    let progress = 0;
    for (let j = 0; j < 200; j++) if (v.requestAt(j) === 'read:progress') progress++;
    expect(Math.abs(progress / 200 - m.progress / sum)).toBeLessThan(0.02);
  });

  it('choose the same reads for the same seed and other reads for another seed', () => {
    const seq = (seed: number) => Array.from({ length: 40 }, (_, j) => new ReadMix(mix, seed).at(j));
    expect(seq(1)).toEqual(seq(1));
    expect(seq(1)).not.toEqual(seq(2));
  });

  it('refuse a mix with no positive share', () => {
    expect(() => new ReadMix({ progress: 0, hhcw: 0, wilayah: 0 }, 1)).toThrow(/viewers\.mix: expected at least one positive share/);
    expect(() => new ReadMix({ progress: -1, hhcw: 1, wilayah: 0 }, 1)).toThrow(/viewers\.mix\.progress/);
  });
});
