import { describe, expect, it } from 'vitest';
import { Hierarchy, ZONE_NAMES, type Zone } from '../../src/domain/index.js';
import { buildPlan, formatPlanDescription } from '../../loadgen/plan/plan.js';
import type { Arrival, Plan, Segment } from '../../loadgen/plan/types.js';
import { electionDay, type DayOptions } from './fixtures.js';

const hierarchies = new Map<string, Hierarchy>();
function hierarchy(scale: number, regions: 'all' | string[] = 'all', seed = 1): Hierarchy {
  const key = `${scale}/${String(regions)}/${seed}`;
  let h = hierarchies.get(key);
  if (!h) hierarchies.set(key, (h = new Hierarchy({ election: 'pilkada-2024', scale, seed, regions })));
  return h;
}

function planOf(o: DayOptions, segment?: Segment): { plan: Plan; h: Hierarchy } {
  const h = hierarchy(o.scale ?? 0.01, o.regions ?? 'all', o.seed ?? 1);
  return { plan: buildPlan(electionDay(o), h, segment), h };
}

interface Walk {
  officers: number;
  viewers: number;
  outOfOrder: number;
  /** Officers started by each checkpoint's instant in their zone, [checkpoint][zone]. */
  startedBy: Array<Record<Zone, number>>;
  arrivals: Arrival[] | null;
}

/** Walks a plan once, counting officers per checkpoint by the zone of their TPS; marks `seen`. */
function walk(plan: Plan, h: Hierarchy, seen?: Uint8Array, keep = false): Walk {
  const w: Walk = { officers: 0, viewers: 0, outOfOrder: 0, startedBy: plan.checkpoints.map(() => ({ WIB: 0, WITA: 0, WIT: 0 })), arrivals: keep ? [] : null };
  let last = -Infinity;
  const it = plan.arrivals();
  for (let r = it.next(); !r.done; r = it.next()) {
    const a = r.value;
    if (a.atMs < last) w.outOfOrder++;
    last = a.atMs;
    w.arrivals?.push(a);
    if (a.kind === 'viewer') { w.viewers++; continue; }
    w.officers++;
    if (seen) seen[a.tps]++;
    const z = h.zoneOf(a.tps);
    plan.checkpoints.forEach((c, k) => { if (a.atMs <= c.realMsByZone[z]!) w.startedBy[k][z]++; });
  }
  return w;
}

/** Every zone's planned count is within one TPS of target × the zone's TPS (in this segment). */
function expectOnTarget(plan: Plan): void {
  for (const c of plan.checkpoints) {
    for (const z of ZONE_NAMES) {
      const total = plan.officersByZone[z];
      if (total === 0) continue;
      expect(c.totalByZone[z]).toBe(total);
      expect(Math.abs(c.plannedByZone[z]! - c.target * total), `${c.at} ${z}: ${c.plannedByZone[z]}/${total}`).toBeLessThanOrEqual(1);
    }
  }
}

describe('the election-day plan', () => {
  it("plans 80% of Barito Utara's 270 TPS by 17:00 WIB and all of them by 24:00", () => {
    const { plan, h } = planOf({ regions: ['6205'], scale: 1 });
    expect(plan.officerCount).toBe(270);
    expect(plan.officersByZone).toEqual({ WIB: 270, WITA: 0, WIT: 0 });
    const [at17, at24] = plan.checkpoints;
    expect(at17.realMsByZone).toEqual({ WIB: 4 * 60_000 });
    expect(at17.plannedByZone).toEqual({ WIB: 216 });
    expect(at17.planned).toBe(216);
    expect(at24.planned).toBe(270);
    const w = walk(plan, h);
    expect(w.startedBy[0].WIB).toBe(216);
    expect(w.startedBy[1].WIB).toBe(270);
  });

  it.each([0.01, 1])('plans each zone of the national pilkada-2024 (scale %s) on target at every checkpoint', (scale) => {
    const { plan, h } = planOf({ scale });
    expect(plan.officerCount).toBe(h.totalTps);
    expect(plan.officersByZone).toEqual(h.zoneTotals());
    expectOnTarget(plan);
    const w = walk(plan, h);
    plan.checkpoints.forEach((c, k) => {
      for (const z of ZONE_NAMES) expect(w.startedBy[k][z], `${c.at} ${z}`).toBe(c.plannedByZone[z]);
    });
  });

  it('starts every TPS of the national day exactly once, in time order (scale 1: 435,296 TPS)', () => {
    const { plan, h } = planOf({ scale: 1 });
    expect(h.totalTps).toBe(435_296);
    const seen = new Uint8Array(h.totalTps);
    const t0 = performance.now();
    const w = walk(plan, h, seen);
    const ms = performance.now() - t0;
    expect(w.outOfOrder).toBe(0);
    expect(w.officers).toBe(435_296);
    expect(seen.every((n) => n === 1)).toBe(true);
    // The walk above also maps every TPS to its zone; the plan alone takes ~0.1 s.
    expect(ms).toBeLessThan(3_000);
  });

  it('honours an explicit curve: half of the TPS by 15:00, a lull until 18:00', () => {
    const { plan } = planOf({
      regions: ['6205'], scale: 1,
      curve: [['13:00', 0], ['15:00', 0.5], ['18:00', 0.5], ['22:00', 1]],
      checkpoints: [['15:00', 0.5], ['17:00', 0.5], ['18:00', 0.5], ['20:00', 0.75], ['22:00', 1]],
    });
    expect(plan.checkpoints.map((c) => c.planned)).toEqual([135, 135, 135, 203, 270]);
    const times = [...iterate(plan)].map((a) => a.atMs);
    // Nobody starts in the lull (15:00–18:00 WIB = real 120–300 s).
    expect(times.filter((t) => t > 120_000 && t < 300_000)).toHaveLength(0);
    expect(plan.durationMs).toBeLessThan(9 * 60_000);
  });

  it('is the same plan for the same seed, and another order of TPS for another seed', () => {
    const tps = (seed: number) => [...iterate(planOf({ regions: ['6205'], scale: 1, seed }).plan)].map((a) => a.tps);
    const times = (seed: number) => [...iterate(planOf({ regions: ['6205'], scale: 1, seed }).plan)].map((a) => a.atMs);
    expect(tps(1)).toEqual(tps(1));
    expect(tps(1)).not.toEqual(tps(2));
    // The shape (when) does not depend on the seed; only who.
    expect(times(1)).toEqual(times(2));
  });
});

describe('segments', () => {
  const cases: Array<[string, DayOptions]> = [
    ['the national day at scale 0.01', { scale: 0.01, viewers: { rate: [['13:00', 0], ['19:00', 5], ['24:00', 2]] } }],
    // Kalimantan Tengah 9 TPS (WIB), Kalimantan Utara 3 (WITA), Papua Barat 2 (WIT): N > a zone's count.
    ['three tiny provinces at scale 0.002', { scale: 0.002, regions: ['62', '65', '92'], viewers: { rate: [['13:00', 1], ['14:00', 1]] } }],
  ];

  describe.each(cases)('of %s', (_, o) => {
    it.each([1, 2, 3, 4, 5])('split into %i: disjoint, their union is the whole, each on target', (count) => {
      const h = hierarchy(o.scale!, o.regions ?? 'all');
      if (o.regions) expect(h.zoneTotals()).toEqual({ WIB: 9, WITA: 3, WIT: 2 });
      const whole = buildPlan(electionDay(o), h);
      const wholeViewers = walk(whole, h).viewers;
      const seen = new Uint8Array(h.totalTps);
      let officers = 0;
      let viewers = 0;
      for (let index = 1; index <= count; index++) {
        const plan = buildPlan(electionDay(o), h, { index, count });
        expect(plan.segment).toEqual({ index, count });
        expect(plan.simOriginS).toBe(whole.simOriginS);
        const w = walk(plan, h, seen);
        expect(w.outOfOrder).toBe(0);
        expect(w.officers).toBe(plan.officerCount);
        officers += w.officers;
        viewers += w.viewers;
        expectOnTarget(plan);
        plan.checkpoints.forEach((c, k) => {
          for (const z of ZONE_NAMES) if (plan.officersByZone[z] > 0) expect(w.startedBy[k][z]).toBe(c.plannedByZone[z]);
        });
      }
      expect(officers).toBe(h.totalTps);
      expect(seen.every((n) => n === 1)).toBe(true);
      expect(viewers).toBe(wholeViewers);
    });
  });

  it('gives each of 4 segments of the national day at scale 1 the same shape', () => {
    const h = hierarchy(1);
    for (let index = 1; index <= 4; index++) {
      const plan = buildPlan(electionDay({ scale: 1 }), h, { index, count: 4 });
      expect(Math.abs(plan.officerCount - h.totalTps / 4)).toBeLessThanOrEqual(3);
      expectOnTarget(plan);
    }
  });

  it('refuses a segment beyond its count', () => {
    expect(() => planOf({ regions: ['6205'], scale: 1 }, { index: 3, count: 2 })).toThrow(/--segment "3\/2": expected K between 1 and N \(2\)/);
  });
});

describe('describe() for --dry-run', () => {
  it('counts arrivals, the busiest second and the planned share at each checkpoint (national, scale 1)', () => {
    const { plan, h } = planOf({ scale: 1 });
    const d = plan.describe();
    expect(d.totalArrivals).toBe(435_296);
    expect(d.counts).toEqual({ officers: 435_296, viewers: 0, hits: 0 });
    expect(d.durationMs).toBe(plan.durationMs);
    expect(d.checkpoints).toEqual(plan.checkpoints);
    expect(d.checkpoints[0].planned / d.checkpoints[0].total).toBeCloseTo(0.8, 4);
    // 13:00–15:00 WIB all three zones are in their first four hours: 80% of each zone over 240 real s.
    const z = h.zoneTotals();
    const peak = (0.8 * (z.WIB + z.WITA + z.WIT)) / 240;
    expect(Math.abs(d.peakPerS - peak)).toBeLessThanOrEqual(3);
    // Per simulated WIB hour from 11:00 (WIT's 13:00) to 23:00.
    expect(d.bucketWidth).toBe('WIB hour');
    expect(d.buckets[0].label).toBe('11:00');
    expect(d.buckets.at(-1)!.label).toBe('23:00');
    expect(d.buckets.reduce((s, b) => s + b.officers, 0)).toBe(435_296);
    // 11:00–12:00 WIB only WIT is counting: a fifth of 80% over four hours, per hour.
    expect(Math.abs(d.buckets[0].officers - (0.8 * z.WIT) / 4)).toBeLessThanOrEqual(1);
  });

  it('adds viewers: reads of a curve that peaks at 50/s at 19:00 WIB', () => {
    const { plan } = planOf({ regions: ['6205'], scale: 1, viewers: { rate: [['13:00', 0], ['19:00', 50], ['24:00', 20]] } });
    const d = plan.describe();
    // 0→50/s over 6 real minutes, then 50→20/s over 5: 9,000 + 10,500 reads.
    expect(d.counts).toEqual({ officers: 270, viewers: 19_500, hits: 0 });
    expect(d.totalArrivals).toBe(19_770);
    expect(d.peakPerS).toBeGreaterThanOrEqual(50);
    expect(d.peakPerS).toBeLessThanOrEqual(52);
  });

  it('prints a small table', () => {
    const { plan } = planOf({ regions: ['6205'], scale: 1 });
    const text = formatPlanDescription(plan.describe());
    expect(text).toContain('270 arrivals over 10m 56s');
    expect(text).toMatch(/WIB hour\s+officers/);
    expect(text).toMatch(/17:00\s+80\.0%\s+216\/270\s+80\.0%\s+216\/270 80\.0%/);
  });
});

function* iterate(plan: Plan): Generator<Arrival> {
  const it = plan.arrivals();
  for (let r = it.next(); !r.done; r = it.next()) yield r.value;
}
