import { describe, expect, it } from 'vitest';
import { Recorder } from '../../loadgen/record/recorder.js';
import { compactMap } from '../../loadgen/record/counters.js';
import { decodeHistogram } from '../../src/result/hdr.js';
import type { HttpResult } from '../../loadgen/http/types.js';

const res = (status: number, intendedUs: number, writeUs: number, endUs: number, code = ''): [HttpResult, number] =>
  [{ status, code, retryAfterS: -1, body: null, writeUs, endUs }, intendedUs];

describe('recorder', () => {
  it('derives percentiles from recorded latencies measured from the intended time', () => {
    const r = new Recorder({ originUs: 0, intervalS: 1000, simAt: () => null, checkpoints: [], provinceCount: 1 });
    // 1..1000 ms latencies, each with 1 ms of schedule lag.
    for (let ms = 1; ms <= 1000; ms++) {
      const [x, intended] = res(200, 0, 1000, ms * 1000);
      r.request('read', x, intended);
    }
    r.finish(2_000_000);
    const t = r.seriesTotal('read');
    expect(t.latency.totalCount).toBe(1000);
    expect(t.latency.getValueAtPercentile(99) / 1000).toBeCloseTo(990, -1);
    expect(t.latency.getValueAtPercentile(50) / 1000).toBeCloseTo(500, -1);
    // Service time is from the write: 1 ms less.
    expect(t.service.maxValue / 1000).toBeCloseTo(999, 0);
    expect(r.totalLag.getValueAtPercentile(99)).toBeCloseTo(1000, -1);
  });

  it('rolls intervals over, keeps empty ones and encodes each closed interval', () => {
    const r = new Recorder({ originUs: 0, intervalS: 1, simAt: (ms) => 46800 + ms / 1000 * 60, checkpoints: [], provinceCount: 1 });
    r.arrivalOffered(100);
    r.request('login', ...res(200, 100, 200, 50_000));
    r.request('upload', ...res(503, 200_000, 200_100, 300_000, 'OVERLOADED'));
    r.arrivalOffered(3_500_000);
    r.arrivalDropped(3_500_000, 'read');
    r.request('login', ...res(0, 3_400_000, 0, 3_600_000, 'ETIMEDOUT'));
    r.finish(3_900_000);
    expect(r.timeline.map((i) => i.t_s)).toEqual([0, 1, 2, 3]);
    expect(r.timeline[0].sim_s).toBe(46800);
    expect(r.timeline[0].series.upload).toMatchObject({ requests: 1, failed: 1, by_status: { 503: 1 }, by_code: { OVERLOADED: 1 } });
    expect(r.timeline[1].series).toEqual({});
    expect(r.timeline[3]).toMatchObject({ offered: 1, dropped: 1 });
    expect(r.timeline[3].series.login).toMatchObject({ requests: 1, failed: 1, by_status: { error: 1 } });
    expect(r.intervalHistograms).toHaveLength(4);
    expect(decodeHistogram(r.intervalHistograms[0]['login.latency']).totalCount).toBe(1);
    expect(r.seriesTotal('login').counts.requests).toBe(2);
    expect(r.seriesDropped('read', 'login')).toBe(1);
  });

  it("freezes Barito Utara's count at 17:00 local, not at the end of the run", () => {
    const checkpoints = [{
      at: '17:00', atMin: 1020, target: 0.8, realMsByZone: { WIB: 1000 }, plannedByZone: { WIB: 3 }, planned: 3, total: 4, totalByZone: { WIB: 4 },
    }];
    const r = new Recorder({ originUs: 0, intervalS: 1, simAt: () => null, checkpoints, provinceCount: 2 });
    r.completion('WIB', 0, 100_000);
    r.completion('WIB', 1, 900_000);
    r.completion('WIB', 0, 999_000);
    r.completion('WIB', 0, 1_000_500); // after 17:00
    r.finish(2_500_000);
    expect(r.checkpointCounts[0].WIB).toBe(3);
    expect(r.completedByZone.WIB).toBe(4);
    expect(Array.from(r.completedByProvince)).toEqual([3, 1]);
    expect(r.timeline[0].completed_cum.WIB).toBe(3);
    expect(r.timeline[2].completed_cum.WIB).toBe(4);
  });

  it('finalizes closed intervals on later turns without losing a sample', async () => {
    const r = new Recorder({ originUs: 0, intervalS: 1, simAt: () => null, checkpoints: [], provinceCount: 1, deferEncoding: true });
    for (let i = 0; i < 100; i++) r.request('read', ...res(200, i * 10_000, i * 10_000 + 5, i * 10_000 + 2000));
    r.request('read', ...res(200, 1_100_000, 1_100_005, 1_200_000)); // closes interval 0
    expect(r.timeline[0].series.read?.requests).toBe(100);
    expect(r.lastInterval()).toBeNull(); // still being finalized
    await new Promise((done) => setTimeout(done, 20));
    expect(r.timeline[0].series.read?.p99).toBeCloseTo(2, 1);
    expect(r.intervalHistograms[0]['read.latency']).toBeTypeOf('string');
    r.finish(1_500_000);
    expect(r.seriesTotal('read').latency.totalCount).toBe(101);
    expect(r.seriesTotal('read').counts.requests).toBe(101);
  });

  it('keeps compact copies of the status and code maps in the timeline, same keys, values and order', () => {
    const m: Record<string, number> = {};
    m.error = 1; m['503'] = 2; m['200'] = 3; m.OVERLOADED = 4;
    const c = compactMap(m);
    expect(c).not.toBe(m);
    expect(JSON.stringify(c)).toBe(JSON.stringify(m));
    expect(Object.keys(c)).toEqual(['200', '503', 'error', 'OVERLOADED']);
    const empty = {};
    expect(compactMap(empty)).toBe(empty);
    const r = new Recorder({ originUs: 0, intervalS: 1, simAt: () => null, checkpoints: [], provinceCount: 1 });
    r.request('read', ...res(503, 0, 10, 1000, 'OVERLOADED'));
    r.request('read', ...res(200, 0, 10, 2000));
    r.finish(1_500_000);
    expect(JSON.stringify(r.timeline[0].series.read)).toContain('"by_status":{"200":1,"503":1},"by_code":{"OVERLOADED":1}');
  });
});
