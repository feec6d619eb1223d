// bench/lib/soak-analysis.ts: the soak's step rule, CPU shares, monitor-line alignment, bad
// seconds and verdict. Pure functions, no traffic. (tests/bench/ is left out of `vitest run`;
// this folder is not.)
import { describe, expect, it } from 'vitest';
import {
  STEP_RULE, badSeconds, cpuShare, episodes, flatVerdict, likelySignals, loopOver, openCapacity,
  overlapping, parseJsonLines, refineRate, stepLadder, stepVerdict, stopLadder, type MonitorLine, type StepMeasure,
} from '../../bench/lib/soak-analysis.js';

const step = (rate: number, o: Partial<StepMeasure> = {}): StepMeasure => ({
  rate, offered: rate * 20, sent: rate * 20, dropped: 0, failed: 0, achieved: 1, lag_p99_ms: 2, ...o,
});

const line = (t_ms: number, o: Partial<MonitorLine> = {}): MonitorLine => ({
  t_ms, span_ms: 1000, pid: 1, eld_ms: { p50: 0.1, p99: 1, max: 2, n: 90 },
  gc: { n: 1, total_ms: 1, max_ms: 1, by_kind: { minor: { n: 1, total_ms: 1, max_ms: 1 } } },
  cpu_share: 0.5, rss_mb: 100, heap_mb: 20, ...o,
});

describe('step test', () => {
  it('ladder: whole rates from the knee, ascending, no duplicates', () => {
    expect(stepLadder(20000)).toEqual([8000, 10000, 12000, 14000, 16000, 18000]);
    expect(stepLadder(3, [0.5, 0.4, 0.1])).toEqual([1, 2]);
    expect(() => stepLadder(0)).toThrow();
  });

  it('a step passes only with nothing dropped or failed, everything sent and lag p99 within the bound', () => {
    expect(stepVerdict(step(1000))).toEqual({ pass: true, why: [] });
    expect(stepVerdict(step(1000, { dropped: 3 })).pass).toBe(false);
    expect(stepVerdict(step(1000, { failed: 1 })).pass).toBe(false);
    expect(stepVerdict(step(1000, { achieved: 0.998 })).why[0]).toMatch(/achieved 99.80%/);
    expect(stepVerdict(step(1000, { achieved: STEP_RULE.minAchieved })).pass).toBe(true);
    expect(stepVerdict(step(1000, { lag_p99_ms: STEP_RULE.maxLagP99Ms })).pass).toBe(true);
    expect(stepVerdict(step(1000, { lag_p99_ms: 36.5 })).why).toEqual(['lag p99 36.5 ms > 10 ms']);
    expect(stepVerdict(step(1000, { lag_p99_ms: NaN })).pass).toBe(false);
  });

  it('capacity: the highest rate below the first failure, a pass above it does not count', () => {
    expect(openCapacity([step(3000), step(1000), step(2000)])).toEqual({ rate: 3000, firstFailure: null, bounded: false });
    expect(openCapacity([step(1000), step(2000), step(3000, { dropped: 5 })])).toEqual({ rate: 2000, firstFailure: 3000, bounded: true });
    expect(openCapacity([step(1000), step(2000, { lag_p99_ms: 40 }), step(3000)]).rate).toBe(1000);
    expect(openCapacity([step(1000, { failed: 1 }), step(2000)])).toEqual({ rate: null, firstFailure: 1000, bounded: true });
    expect(openCapacity([])).toEqual({ rate: null, firstFailure: null, bounded: false });
  });

  it('stops at the first failure; one halfway step when the gap is wide', () => {
    expect(stopLadder([step(1000), step(2000)])).toBe(false);
    expect(stopLadder([step(1000), step(2000, { dropped: 1 })])).toBe(true);
    const steps = [step(8000), step(10000), step(12000, { lag_p99_ms: 30 })];
    expect(refineRate(steps)).toBe(11000);
    expect(refineRate([...steps, step(11000)])).toBe(11500);
    expect(refineRate([step(10000), step(10400, { dropped: 1 })])).toBeNull(); // 4% apart
    expect(refineRate([step(10000), step(12000)])).toBeNull(); // no failure
    expect(refineRate([step(10000, { dropped: 1 })])).toBeNull(); // no pass
  });
});

describe('cpu share', () => {
  it('CPU seconds per wall second between the first and last sample inside the window', () => {
    const s = [{ at_ms: 0, cpu_s: 1 }, { at_ms: 1000, cpu_s: 1.5 }, { at_ms: 3000, cpu_s: 2.5 }, { at_ms: 5000, cpu_s: 9 }];
    expect(cpuShare(s, 500, 3000)).toBeCloseTo(0.5);
    expect(cpuShare(s, 0, 5000)).toBeCloseTo(1.6);
    expect(cpuShare(s, 1500, 3500)).toBeNull();
    expect(cpuShare([{ at_ms: 0, cpu_s: 0 }, { at_ms: 1000, cpu_s: 1 }], 0, 1000)).toBeNull(); // 0 = process gone
  });
});

describe('monitor lines', () => {
  it('parses JSON lines and skips a torn one', () => {
    expect(parseJsonLines<{ a: number }>('{"a":1}\n\n{"a":2}\n{"a":')).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('a line covers [t - span, t): the lines overlapping one second', () => {
    const ls = [line(1000), line(2000), line(3000), line(4000)];
    expect(overlapping(ls, 1500, 2500).map((l) => l.t_ms)).toEqual([2000, 3000]);
    expect(overlapping(ls, 1000, 2000).map((l) => l.t_ms)).toEqual([2000]);
  });

  it('a window takes the worst ELD and GC pause, its kind, the GC total and the highest RSS', () => {
    const ls = [
      line(1000),
      line(2000, { eld_ms: { p50: 1, p99: 30, max: 95, n: 50 }, gc: { n: 3, total_ms: 70, max_ms: 60, by_kind: { minor: { n: 2, total_ms: 10, max_ms: 6 }, major: { n: 1, total_ms: 60, max_ms: 60 } } }, rss_mb: 180 }),
      line(3000, { eld_ms: { p50: null, p99: null, max: null, n: 0 }, cpu_share: undefined }),
    ];
    const w = loopOver(ls, 0, 3000);
    expect(w).toMatchObject({ eld_p99_ms: 30, eld_max_ms: 95, gc_max_ms: 60, gc_max_kind: 'major', gc_total_ms: 72, gc_n: 5, cpu_share_max: 0.5, rss_mb_max: 180 });
    expect(loopOver(ls, 10_000, 11_000).eld_max_ms).toBeNull();
  });
});

describe('bad seconds', () => {
  it('seconds over the lag bound, grouped into episodes across short gaps', () => {
    const tl = [1, 60, 70, 2, 3, 55, 1, 1, 1, 1, 80].map((lag_p99_ms) => ({ lag_p99_ms }));
    expect(badSeconds(tl)).toEqual([1, 2, 5, 10]);
    expect(episodes([1, 2, 5, 10])).toEqual([{ from: 1, to: 5, bad: 3 }, { from: 10, to: 10, bad: 1 }]);
    expect(episodes([10, 1, 2], 0)).toEqual([{ from: 1, to: 2, bad: 2 }, { from: 10, to: 10, bad: 1 }]);
    expect(episodes([])).toEqual([]);
  });

  it('names what stands out beside a bad second, or none', () => {
    const quiet = loopOver([line(1000)], 0, 1000);
    const base = { lag_p99_ms: 100, loadgen: quiet, mock: quiet, canary_slowdown: 1.05, canary_wake_late_ms: 2 };
    expect(likelySignals(base)).toEqual(['none']);
    expect(likelySignals({ ...base, loadgen: { ...quiet, eld_max_ms: 80 } })).toEqual(['loadgen loop stall 80 ms']);
    expect(likelySignals({ ...base, mock: { ...quiet, gc_max_ms: 55, gc_max_kind: 'major' } })).toEqual(['mock GC major 55 ms']);
    expect(likelySignals({ ...base, loadgen: { ...quiet, cpu_share_max: 1 } })).toEqual(['none']); // a spinning loop is not a stall
    expect(likelySignals({ ...base, mock: { ...quiet, cpu_share_max: 0.97 } })).toEqual(['mock core saturated']);
    expect(likelySignals({ ...base, canary_slowdown: 1.7 })).toEqual(['machine (canary)']);
    expect(likelySignals({ ...base, canary_slowdown: null, canary_wake_late_ms: 25 })).toEqual(['machine (canary)']);
  });
});

describe('verdict', () => {
  it('flat only when every key is within the limit; a missing value is not flat', () => {
    const keys = ['server_rss_mb', 'loadgen_rss_mb', 'server_p99_ms', 'p99_ms'];
    expect(flatVerdict({ server_rss_mb: 1.1, loadgen_rss_mb: -4.4, server_p99_ms: 1, p99_ms: 9.9 }, keys).flat).toBe(true);
    const v = flatVerdict({ server_rss_mb: 1.1, loadgen_rss_mb: 10, server_p99_ms: null, p99_ms: -3 }, keys);
    expect(v.flat).toBe(false);
    expect(v.by_key).toEqual({ server_rss_mb: true, loadgen_rss_mb: false, server_p99_ms: false, p99_ms: true });
  });
});
