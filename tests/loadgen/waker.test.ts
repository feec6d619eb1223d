import { describe, expect, it } from 'vitest';
import { waker } from '../../loadgen/waker.js';
import { nowUs } from '../../loadgen/clock.js';

describe('waker (precise sleeps on a thread)', () => {
  it('never wakes a sleeper before its instant, and wakes concurrent sleepers in time order', async () => {
    const w = waker();
    w.acquire();
    try {
      // Before the thread is up sleeps fall back to timers; after, they end on the thread.
      for (const settle of [false, true]) {
        // The thread starts in ~20 ms, longer on a busy machine: wait for it (bounded).
        for (let waited = 0; settle && !w.precise() && waited < 10_000; waited += 10) {
          await new Promise((r) => setTimeout(r, 10));
        }
        if (settle) expect(w.precise()).toBe(true);
        const base = nowUs() + 2_000;
        const deadlines = [1_700, 300, 900, 300, 0, 2_500].map((d) => base + d);
        const woke: Array<{ at: number; i: number }> = [];
        await Promise.all(deadlines.map((at, i) => w.sleepUntil(at).then(() => { woke.push({ at: nowUs(), i }); })));
        for (const x of woke) expect(x.at).toBeGreaterThanOrEqual(deadlines[x.i]);
        // On the thread (after it started) every due sleeper is woken in deadline order.
        if (settle) {
          const order = woke.map((x) => deadlines[x.i]);
          expect(order).toEqual([...order].sort((a, b) => a - b));
        }
      }
    } finally {
      w.release();
    }
  });

  it('a deadline already past resolves at once', async () => {
    const w = waker();
    w.acquire();
    try {
      const t = nowUs();
      await w.sleepUntil(t - 5_000);
      expect(nowUs() - t).toBeLessThan(1_000_000); // resolved, not stuck
    } finally {
      w.release();
    }
  });
});
