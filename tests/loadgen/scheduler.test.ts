import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { schedule } from '../../loadgen/scheduler.js';
import { nowUs, sleepMs } from '../../loadgen/clock.js';
import type { Arrival } from '../../loadgen/plan/types.js';

function* every(stepMs: number, n: number): Generator<Arrival> {
  for (let i = 0; i < n; i++) yield { atMs: i * stepMs, kind: 'hit', tps: -1, request: 'read:progress' };
}

describe('open-model scheduler', () => {
  it('drops arrivals at the in-flight cap and starts the rest on time, whatever the target does', async () => {
    // A slow target: every arrival takes 300 ms; 500/s with a cap of 50 in flight.
    const lags: number[] = [];
    let dropped = 0;
    const originUs = nowUs() + 20_000;
    const s = schedule({
      arrivals: every(2, 500), originUs, maxInFlight: 50,
      start: async (_a, intendedUs) => { lags.push(nowUs() - intendedUs); await sleepMs(300); },
      onDropped: () => { dropped++; },
    });
    let peak = 0;
    const probe = setInterval(() => { peak = Math.max(peak, s.inFlight()); }, 5);
    const out = await s.done;
    await s.idle();
    clearInterval(probe);
    expect(out.started + out.dropped).toBe(500);
    expect(out.dropped).toBe(dropped);
    // 50 in flight fill in 100 ms, then 300 ms sessions free ~50 per 300 ms: ~1/3 start.
    expect(out.dropped).toBeGreaterThan(250);
    expect(out.started).toBeGreaterThan(100);
    expect(peak).toBeLessThanOrEqual(50);
    // Never delayed: started arrivals begin at their instants (the tail allows for a busy
    // 2-core CI machine, where other processes steal the CPU for tens of ms).
    lags.sort((a, b) => a - b);
    expect(lags[Math.floor(lags.length * 0.5)] / 1000).toBeLessThan(10);
    expect(lags[Math.floor(lags.length * 0.99)] / 1000).toBeLessThan(150);
    expect(lags[0]).toBeGreaterThanOrEqual(0);
  });

  it('at the cap, drops exactly the arrivals due while every slot was busy (sleeping, not spinning)', async () => {
    // One slot; arrivals at 0, 40, 80 ms; the first takes 60 ms: the one due at 40 ms finds the
    // slot busy (dropped), the one due at 80 ms finds it free again (started, on time).
    const startedAt: number[] = [];
    const droppedAt: number[] = [];
    const originUs = nowUs() + 20_000;
    const s = schedule({
      arrivals: every(40, 3), originUs, maxInFlight: 1,
      start: async (a, intendedUs) => { startedAt.push(a.atMs); if (a.atMs === 0) await sleepMs(60); expect(nowUs() - intendedUs).toBeLessThan(30_000); },
      onDropped: (a) => { droppedAt.push(a.atMs); },
    });
    const out = await s.done;
    await s.idle();
    expect(startedAt).toEqual([0, 80]);
    expect(droppedAt).toEqual([40]);
    expect(out).toMatchObject({ started: 2, dropped: 1, aborted: false });
  });

  it('catches up without sleeping after a blocked event loop, keeping the original instants', async () => {
    const starts: Array<{ intendedUs: number; atUs: number }> = [];
    const originUs = nowUs() + 10_000;
    const s = schedule({
      arrivals: every(1, 200), originUs, maxInFlight: 1000,
      start: async (_a, intendedUs) => { starts.push({ intendedUs, atUs: nowUs() }); },
    });
    // Block the loop for 100 ms in the middle of the schedule.
    await sleepMs(60);
    const until = Date.now() + 100;
    while (Date.now() < until) { /* busy */ }
    await s.done;
    expect(starts).toHaveLength(200);
    // Intended instants are the plan's, 1 ms apart, never shifted by the stall...
    starts.forEach((x, i) => expect(x.intendedUs).toBeCloseTo(originUs + i * 1000, 3));
    // ...and the late ones show their lag (about 100 ms for the first after the stall).
    const maxLagMs = Math.max(...starts.map((x) => x.atUs - x.intendedUs)) / 1000;
    expect(maxLagMs).toBeGreaterThan(50);
    // The backlog is cleared in one burst: the last arrival is on time again.
    const last = starts[starts.length - 1];
    expect((last.atUs - last.intendedUs) / 1000).toBeLessThan(40);
  });

  it('waits on timers, not by spinning: the event loop is idle between arrivals', async () => {
    // 1,000 arrivals/s for 1 s with instant starts. A spinning wait (setImmediate turns) keeps
    // this thread's event loop busy the whole second (utilisation ~1); timers leave it idle.
    const lags: number[] = [];
    const originUs = nowUs() + 10_000;
    const before = performance.eventLoopUtilization();
    const s = schedule({
      arrivals: every(1, 1000), originUs, maxInFlight: 100,
      start: async (_a, intendedUs) => { lags.push(nowUs() - intendedUs); },
    });
    await s.done;
    const elu = performance.eventLoopUtilization(before);
    expect(lags).toHaveLength(1000);
    expect(elu.utilization).toBeLessThan(0.5);
    // Timer granularity is 1 ms: the typical arrival starts within a few ms of its instant.
    lags.sort((a, b) => a - b);
    expect(lags[0]).toBeGreaterThanOrEqual(0);
    expect(lags[500] / 1000).toBeLessThan(5);
  });

  it('stops walking arrivals when aborted', async () => {
    const ac = new AbortController();
    const s = schedule({ arrivals: every(10, 1000), originUs: nowUs(), maxInFlight: 10, signal: ac.signal, start: async () => undefined });
    setTimeout(() => ac.abort(), 100);
    const out = await s.done;
    expect(out.aborted).toBe(true);
    expect(out.started).toBeLessThan(30);
  });
});
