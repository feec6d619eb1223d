import { describe, expect, it } from 'vitest';
import { curveFromPoints, defaultCurvePoints } from '../../loadgen/plan/curve.js';

const HH = (h: number, m = 0) => h * 60 + m;

describe('the completion curve', () => {
  const uji = curveFromPoints(defaultCurvePoints(
    { startMin: HH(13), endMin: HH(24) },
    [{ at: '17:00', atMin: HH(17), target: 0.8 }, { at: '24:00', atMin: HH(24), target: 1 }],
  ));

  it('runs through the uji beban targets by default: 0 at 13:00, 80% at 17:00, 100% at 24:00', () => {
    expect(uji.points).toEqual([{ atMin: 780, value: 0 }, { atMin: 1020, value: 0.8 }, { atMin: 1440, value: 1 }]);
    expect(uji.at(HH(13))).toBe(0);
    expect(uji.at(HH(15))).toBeCloseTo(0.4, 12);
    expect(uji.at(HH(17))).toBe(0.8);
    expect(uji.at(HH(20, 30))).toBeCloseTo(0.9, 12);
    expect(uji.at(HH(24))).toBe(1);
    expect(uji.at(HH(12))).toBe(0);
    expect(uji.at(HH(25))).toBe(1);
  });

  it('inverts exactly: the share reached at 17:00 comes back as 17:00', () => {
    expect(uji.inverse(0.8)).toBe(HH(17));
    expect(uji.inverse(0.4)).toBeCloseTo(HH(15), 9);
    expect(uji.inverse(0.9)).toBeCloseTo(HH(20, 30), 9);
    expect(uji.inverse(0)).toBe(HH(13));
    expect(uji.inverse(1)).toBe(HH(24));
  });

  it('round-trips every share and every minute of the window', () => {
    for (let k = 0; k <= 1000; k++) {
      const s = k / 1000;
      expect(uji.at(uji.inverse(s))).toBeCloseTo(s, 12);
    }
    for (let m = HH(13); m <= HH(24); m += 7) expect(uji.inverse(uji.at(m))).toBeCloseTo(m, 9);
  });

  it('is monotone in the share, even across the points', () => {
    let prev = -Infinity;
    let backwards = 0;
    for (let k = 0; k <= 100_000; k++) {
      const t = uji.inverse(k / 100_000);
      if (t < prev) backwards++;
      prev = t;
    }
    expect(backwards).toBe(0);
  });

  it('maps a flat stretch (a dinner lull at 50%) to its start, and a step to its instant', () => {
    const lull = curveFromPoints([
      { atMin: HH(13), value: 0 }, { atMin: HH(15), value: 0.5 }, { atMin: HH(17), value: 0.5 }, { atMin: HH(24), value: 1 },
    ]);
    expect(lull.inverse(0.5)).toBe(HH(15));
    expect(lull.at(HH(16))).toBe(0.5);
    expect(lull.inverse(0.5 + 1e-9)).toBeGreaterThan(HH(17));
    expect(lull.inverse(0.5 + 1e-9)).toBeLessThan(HH(17) + 0.001);

    const step = curveFromPoints([
      { atMin: HH(13), value: 0 }, { atMin: HH(14), value: 0 }, { atMin: HH(14), value: 0.4 }, { atMin: HH(24), value: 1 },
    ]);
    expect(step.inverse(0.2)).toBe(HH(14));
    expect(step.inverse(0.4)).toBe(HH(14));
    expect(step.at(HH(14))).toBe(0.4);
    expect(step.at(HH(14) - 1e-6)).toBe(0);
  });

  it('names the point and the expectation when a curve falls, runs backwards or stops short of 100%', () => {
    expect(() => curveFromPoints([{ atMin: 780, value: 0 }, { atMin: 1020, value: 0.8 }, { atMin: 1100, value: 0.7 }, { atMin: 1440, value: 1 }]))
      .toThrow(/curve point 3 .*non-decreasing/);
    expect(() => curveFromPoints([{ atMin: 780, value: 0 }, { atMin: 700, value: 1 }])).toThrow(/curve point 2 .*ascending/);
    expect(() => curveFromPoints([{ atMin: 780, value: 0 }, { atMin: 1440, value: 0.9 }])).toThrow(/last point to reach 1/);
    expect(() => curveFromPoints([{ atMin: 780, value: 1.2 }])).toThrow(/\[0, 1\]/);
    expect(() => curveFromPoints([])).toThrow(/at least one point/);
  });
});

describe('the default curve from checkpoints', () => {
  const w = { startMin: HH(13), endMin: HH(24) };
  it('names the checkpoint when it lies outside the window or its target falls', () => {
    expect(() => defaultCurvePoints(w, [{ at: '12:00', atMin: HH(12), target: 0.1 }])).toThrow(/checkpoint "12:00": expected a time within the window 13:00–24:00/);
    expect(() => defaultCurvePoints(w, [{ at: '17:00', atMin: HH(17), target: 0.8 }, { at: '20:00', atMin: HH(20), target: 0.7 }]))
      .toThrow(/checkpoint "20:00": target 0.7 is below the 0.8 of "17:00"/);
    expect(() => defaultCurvePoints({ startMin: HH(13), endMin: HH(13) }, [])).toThrow(/window: expected the end after the start/);
  });

  it('reaches 100% at the window end when no checkpoint says so (observed: 90% by midnight)', () => {
    expect(defaultCurvePoints(w, [{ at: '19:00', atMin: HH(19), target: 0.818 }])).toEqual([
      { atMin: HH(13), value: 0 }, { atMin: HH(19), value: 0.818 }, { atMin: HH(24), value: 1 },
    ]);
  });
});
