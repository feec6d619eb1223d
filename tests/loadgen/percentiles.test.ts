import { describe, expect, it } from 'vitest';
import { newHistogram, percentilesMs } from '../../src/result/hdr.js';
import { fastPercentilesMs } from '../../loadgen/record/percentiles.js';

describe('one-pass interval percentiles', () => {
  it('equal hdr-histogram-js percentiles and mean exactly', () => {
    let seed = 7;
    const rnd = (): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
    for (const [n, spread] of [[1, 10], [3, 1000], [100, 5000], [5000, 20_000], [20_000, 3_000_000], [7, 3_600_000_000]] as const) {
      const h = newHistogram();
      for (let i = 0; i < n; i++) h.recordValue(Math.max(1, Math.round(rnd() ** 3 * spread)));
      expect(fastPercentilesMs(h)).toEqual(percentilesMs(h));
    }
    expect(fastPercentilesMs(newHistogram())).toEqual(percentilesMs(newHistogram()));
  });
});
