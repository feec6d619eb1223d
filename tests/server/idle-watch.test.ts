/**
 * The shared idle sweep that cuts stalled upload bodies: a body that sends nothing for the
 * idle limit is cut within one sweep interval (a quarter of the limit) after it; one that keeps
 * sending, or has ended, is not. Upper bounds leave room for a busy machine's late timers.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { watchIdle } from '../../server/upload/idle-watch.js';

const IDLE_MS = 400;

describe('watchIdle', () => {
  it('cuts a silent body after the idle limit, not before', async () => {
    const t0 = Date.now();
    const ms = await new Promise<number>((resolve) => watchIdle(IDLE_MS, () => resolve(Date.now() - t0)));
    expect(ms).toBeGreaterThanOrEqual(IDLE_MS);
    expect(ms).toBeLessThan(IDLE_MS * 2);
  });

  it('does not cut a body while its bytes keep arriving, and cuts it once they stop', async () => {
    let cutAt = 0;
    const e = watchIdle(IDLE_MS, () => { cutAt = Date.now(); });
    const t0 = Date.now();
    let lastByte = 0;
    while (Date.now() - t0 < IDLE_MS * 3) {
      e.bytes += 1;
      lastByte = Date.now();
      await sleep(IDLE_MS / 10);
    }
    expect(cutAt).toBe(0);
    await sleep(IDLE_MS * 3);
    // The sweep notes a change at its first check after the byte, so never less than the limit after it.
    expect(cutAt).toBeGreaterThanOrEqual(lastByte + IDLE_MS - 2);
    expect(cutAt).toBeLessThan(lastByte + IDLE_MS * 3);
  });

  it('never cuts a body that was stopped (it ended), and cuts each silent one once', async () => {
    let stoppedCut = 0;
    let silentCuts = 0;
    watchIdle(IDLE_MS, () => { stoppedCut++; }).stop();
    watchIdle(IDLE_MS, () => { silentCuts++; });
    await sleep(IDLE_MS * 3);
    expect(stoppedCut).toBe(0);
    expect(silentCuts).toBe(1);
  });
});
