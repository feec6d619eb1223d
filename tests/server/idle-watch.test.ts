/**
 * The shared idle sweep that cuts stalled upload bodies: a body that sends nothing for the
 * idle limit is cut within one sweep interval after it; one that keeps sending, or has ended,
 * is not.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { watchIdle } from '../../server/upload/idle-watch.js';

const IDLE_MS = 200;

describe('watchIdle', () => {
  it('cuts a silent body between the idle limit and one sweep (a quarter of it) later', async () => {
    const t0 = Date.now();
    const cut = new Promise<number>((resolve) => watchIdle(IDLE_MS, () => resolve(Date.now() - t0)));
    const ms = await cut;
    expect(ms).toBeGreaterThanOrEqual(IDLE_MS);
    // One sweep interval (50 ms) late at most, with room for a busy machine's timers.
    expect(ms).toBeLessThan(IDLE_MS + 50 + 150);
  });

  it('does not cut a body while its bytes keep arriving, and cuts it once they stop', async () => {
    let cutAt = 0;
    const e = watchIdle(IDLE_MS, () => { cutAt = Date.now(); });
    const t0 = Date.now();
    while (Date.now() - t0 < IDLE_MS * 3) {
      e.bytes += 1;
      await sleep(IDLE_MS / 5);
    }
    expect(cutAt).toBe(0);
    const lastByte = Date.now();
    await sleep(IDLE_MS * 2);
    // lastByte is read one sleep (40 ms) after the last byte really arrived.
    expect(cutAt).toBeGreaterThanOrEqual(lastByte + IDLE_MS - 60);
    expect(cutAt).toBeLessThan(lastByte + IDLE_MS * 2);
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
