import { describe, expect, it } from 'vitest';
import { Hierarchy } from '../../src/domain/hierarchy.js';
import { listScenarios } from '../../src/scenario/catalog.js';
import { describeScenario, electionDayTiming, realDuration, sessionsInFlightAtPeak } from '../../src/scenario/describe.js';
import { loadScenario } from '../../src/scenario/load.js';
import type { ElectionDayScenario, Scenario } from '../../src/scenario/types.js';

const SHIPPED = ['barito-utara-pilkada-2024', 'constant-rate', 'login-storm', 'pemilu-2024-nasional', 'pilkada-2024-nasional', 'smoke'];

function load(name: string): Scenario {
  return loadScenario(name).scenario;
}

function electionDay(name: string): ElectionDayScenario {
  const s = load(name);
  if (s.executor !== 'election-day') throw new Error(`${name} is ${s.executor}`);
  return s;
}

describe('shipped scenarios', () => {
  it('lists exactly the shipped files, each with a description', () => {
    const list = listScenarios();
    expect(list.map((e) => e.name)).toEqual(SHIPPED);
    for (const e of list) {
      expect(e.description.length).toBeGreaterThan(20);
      expect(e.file).toMatch(new RegExp(`scenarios[\\\\/]${e.name}\\.json$`));
    }
  });

  it.each(SHIPPED)('%s validates, resolves and describes itself', (name) => {
    const { scenario, file } = loadScenario(name);
    expect(scenario.name).toBe(name);
    expect(file).toMatch(/\.json$/);
    const text = describeScenario(scenario);
    expect(text).toContain(scenario.election);
    expect(text).toContain('Thresholds');
    // A shipped scenario's in-flight cap must hold its own peak of thinking sessions.
    expect(text).not.toContain('WARNING');
  });

  it('warns when maxInFlight is below the sessions in flight that the think time alone makes', () => {
    const s = electionDay('pilkada-2024-nasional');
    // ~2,042 sessions/s at 60x, 2 uploads each with 1 min (1 s real) of think before each.
    expect(sessionsInFlightAtPeak(2042, 2, 60_000, 60)).toBe(4084);
    const low = describeScenario({ ...s, limits: { ...s.limits, maxInFlight: 2000 } });
    expect(low).toMatch(/sessions in flight at the peak: at least 3,9\d\d/);
    expect(low).toContain('WARNING    limits.maxInFlight 2,000 is below that');
    // The time scale does not change it (more arrivals per second, shorter thinks); the size does.
    expect(describeScenario({ ...s, timeScale: 600, limits: { ...s.limits, maxInFlight: 2000 } })).toContain('WARNING');
    expect(describeScenario({ ...s, scale: 0.1, limits: { ...s.limits, maxInFlight: 2000 } })).not.toContain('WARNING');
  });

  it('resolves a path as well as a shipped name', () => {
    expect(loadScenario('scenarios/smoke.json').scenario).toEqual(load('smoke'));
  });

  it('smoke is tiny and finishes in well under 60 s of real time', () => {
    const s = electionDay('smoke');
    const h = new Hierarchy(s);
    expect(h.totalTps).toBe(27);
    const { runS, drainS } = realDuration(s, h);
    expect(runS + drainS).toBeLessThan(30);
    expect(s.officers.photoBytes).toEqual({ uniform: { min: 20000, max: 40000 } });
    expect(s.viewers.rate.every((p) => p.value <= 5)).toBe(true);
  });

  it("Barito Utara holds 270 TPS and runs in a few minutes: 80% by 17:00, 100% by 24:00", () => {
    const s = electionDay('barito-utara-pilkada-2024');
    expect(s.regions).toEqual(['6205']);
    const h = new Hierarchy(s);
    expect(h.totalTps).toBe(270);
    expect(h.children('6205')!.map((k) => k.code)).toEqual(
      ['620501', '620502', '620503', '620504', '620505', '620506', '620507', '620508', '620509'],
    );
    expect(s.checkpoints.map((c) => [c.at, c.target])).toEqual([['17:00', 0.8], ['24:00', 1]]);
    const t = electionDayTiming(s, h.zoneTotals());
    expect(t.realS).toBeGreaterThan(60);
    expect(t.realS).toBeLessThan(600);
  });

  it('pilkada-2024-nasional holds all 435,296 TPS, 2 contests, 1 page', () => {
    const s = electionDay('pilkada-2024-nasional');
    expect(new Hierarchy(s).totalTps).toBe(435_296);
    expect(s.officers.pagesPerForm).toBe(1);
    expect(s.timeScale).toBe(60);
    expect(describeScenario(s)).toContain('contests pkwkp, pkwkk');
  });

  it('pemilu-2024-nasional holds all 823,236 TPS, 5 contests, 3 pages', () => {
    const s = electionDay('pemilu-2024-nasional');
    expect(new Hierarchy(s).totalTps).toBe(823_236);
    expect(s.officers.pagesPerForm).toBe(3);
    expect(describeScenario(s)).toContain('contests ppwp, pdpr, pdpd, pdprdp, pdprdk');
  });

  it('login-storm puts every login between 13:00 and 14:00 WIB and uploads nothing', () => {
    const s = electionDay('login-storm');
    expect(s.clock).toBe('wib');
    expect(s.officers.mode).toBe('login-only');
    expect(s.window).toMatchObject({ start: '13:00', end: '14:00' });
    expect(s.curve.at(-1)).toEqual({ atMin: 13 * 60 + 55, value: 1 });
    expect(describeScenario(s)).toContain('log in only');
  });

  it('constant-rate sends 200 progress reads per second for 30 s with a p99 threshold', () => {
    const s = load('constant-rate');
    expect(s).toMatchObject({ executor: 'constant-rate', rate: 200, durationMs: 30_000, request: 'read:progress' });
    expect(s.thresholds).toContainEqual({ metric: 'read', expr: 'p(99)<500' });
    expect(describeScenario(s)).toContain('6,000 requests');
  });

  it('a national local-clock day spans 11:00-24:00 WIB: WIT starts two hours early', () => {
    const s = electionDay('pilkada-2024-nasional');
    const t = electionDayTiming(s, new Hierarchy(s).zoneTotals());
    expect([t.simStartMin, t.simEndMin]).toEqual([11 * 60, 24 * 60]);
    expect(t.realS).toBe(13 * 60);
  });
});
