import { describe, expect, it } from 'vitest';
import { Hierarchy } from '../../src/domain/index.js';
import { localMinToSimS, originSimS, PlanClock, zoneShiftMin } from '../../loadgen/plan/clock.js';
import { curveFromPoints, defaultCurvePoints } from '../../loadgen/plan/curve.js';
import { ZoneOfficers } from '../../loadgen/plan/officers.js';
import { buildPlan } from '../../loadgen/plan/plan.js';
import { electionDay } from './fixtures.js';

const curve = curveFromPoints(defaultCurvePoints(
  { startMin: 780, endMin: 1440 },
  [{ at: '17:00', atMin: 1020, target: 0.8 }, { at: '24:00', atMin: 1440, target: 1 }],
));

/** Three zones of 100 TPS each, on one clock: arrival i has the same share s = (i + ½)/100 everywhere. */
function sameSizedZones(mode: 'local' | 'wib') {
  const clock = new PlanClock(mode, originSimS(mode, 780, ['WIB', 'WITA', 'WIT']), 60);
  const zone = (z: 'WIB' | 'WITA' | 'WIT', start: number) => new ZoneOfficers({ zone: z, ranges: [[start, 100]], curve, clock, seed: 1 });
  return { clock, wib: zone('WIB', 0), wita: zone('WITA', 100), wit: zone('WIT', 200) };
}

describe('zone shift (clock "local")', () => {
  it('puts WITA one hour and WIT two hours ahead of WIB', () => {
    expect(zoneShiftMin('local', 'WIB')).toBe(0);
    expect(zoneShiftMin('local', 'WITA')).toBe(60);
    expect(zoneShiftMin('local', 'WIT')).toBe(120);
    // 17:00 WITA is 16:00 WIB; 17:00 WIT is 15:00 WIB (seconds since 00:00 WIB).
    expect(localMinToSimS('local', 'WITA', 1020)).toBe(16 * 3600);
    expect(localMinToSimS('local', 'WIT', 1020)).toBe(15 * 3600);
  });

  it("starts WITA's officer for share s exactly 60 simulated minutes before WIB's, WIT's 120", () => {
    const { clock, wib, wita, wit } = sameSizedZones('local');
    for (let i = 0; i < 100; i++) {
      const sim = (z: ZoneOfficers) => clock.realMsToSimS(z.realMsAt(i));
      expect(sim(wib) - sim(wita)).toBeCloseTo(3600, 6);
      expect(sim(wib) - sim(wit)).toBeCloseTo(7200, 6);
    }
  });

  it('shifts nothing under clock "wib": every zone reads WIB', () => {
    const { clock, wib, wita, wit } = sameSizedZones('wib');
    expect(zoneShiftMin('wib', 'WIT')).toBe(0);
    for (let i = 0; i < 100; i += 9) {
      expect(wita.realMsAt(i)).toBe(wib.realMsAt(i));
      expect(wit.realMsAt(i)).toBe(wib.realMsAt(i));
    }
    expect(clock.originS).toBe(13 * 3600);
  });

  it("puts a national checkpoint's 17:00 one real minute apart per zone at timeScale 60", () => {
    const h = new Hierarchy({ election: 'pilkada-2024', scale: 0.01, seed: 1, regions: 'all' });
    const plan = buildPlan(electionDay({ scale: 0.01 }), h);
    const at17 = plan.checkpoints[0].realMsByZone;
    // Origin: 13:00 WIT = 11:00 WIB; 17:00 WIT is then 4 simulated hours = 4 real minutes in.
    expect(plan.simOriginS).toBe(11 * 3600);
    expect(at17.WIT).toBe(240_000);
    expect(at17.WITA).toBe(300_000);
    expect(at17.WIB).toBe(360_000);
  });
});

describe('time compression', () => {
  it('plays an 11-hour window (13:00–24:00 WIB) in 11 real minutes at timeScale 60', () => {
    const clock = new PlanClock('local', originSimS('local', 780, ['WIB']), 60);
    expect(clock.localMinToRealMs('WIB', 780)).toBe(0);
    expect(clock.localMinToRealMs('WIB', 1440)).toBe(11 * 60_000);
    expect(clock.realMsToSimS(11 * 60_000)).toBe(24 * 3600);

    const h = new Hierarchy({ election: 'pilkada-2024', scale: 1, seed: 1, regions: ['6205'] });
    const plan = buildPlan(electionDay({ regions: ['6205'], scale: 1 }), h);
    // The last of Barito Utara's 270 TPS starts at F⁻¹(269.5/270): its 1/540 share short of 100%
    // is (1/540)/0.2 of the last 7 hours (7 real minutes) before 24:00.
    expect(plan.durationMs).toBeLessThan(11 * 60_000);
    expect(plan.durationMs).toBeCloseTo(11 * 60_000 - (7 * 60_000 * (1 / 540)) / 0.2, 3);
    expect(plan.simAt(0)).toBe(13 * 3600);
    expect(plan.simAt(60_000)).toBe(14 * 3600);
  });

  it('maps real and simulated time both ways at any scale', () => {
    const clock = new PlanClock('local', 11 * 3600, 3600);
    expect(clock.simSToRealMs(12 * 3600)).toBe(1000);
    expect(clock.realMsToSimS(1000)).toBe(12 * 3600);
    expect(clock.realMsToLocalMin('WIT', 0)).toBe(13 * 60);
    expect(() => new PlanClock('local', 0, 0)).toThrow(/timeScale: expected a positive number/);
  });
});
