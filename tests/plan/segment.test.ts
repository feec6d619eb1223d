import { describe, expect, it } from 'vitest';
import { countInSegment, inSegment, parseSegment, SegmentError } from '../../loadgen/plan/segment.js';

describe('--segment K/N', () => {
  it('reads "2/4" as the second of four segments', () => {
    expect(parseSegment('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseSegment('1/1')).toEqual({ index: 1, count: 1 });
    expect(parseSegment(' 3 / 3 ')).toEqual({ index: 3, count: 3 });
  });

  it.each([
    ['2-4', /"2-4": expected K\/N with whole numbers, e\.g\. 2\/4/],
    ['', /"": expected K\/N/],
    ['1.5/4', /expected K\/N with whole numbers/],
    ['0/4', /"0\/4": expected K between 1 and N \(4\), got 0/],
    ['5/4', /"5\/4": expected K between 1 and N \(4\), got 5/],
    ['1/0', /"1\/0": expected N \(the segment count\) between 1 and 10000, got 0/],
    ['-1/4', /expected K\/N/],
  ])('rejects %j, naming the value and what was expected', (text, message) => {
    expect(() => parseSegment(text)).toThrow(SegmentError);
    expect(() => parseSegment(text)).toThrow(message);
  });

  it('carries a stable code and the flag name for the CLI', () => {
    try {
      parseSegment('9/2');
      expect.unreachable();
    } catch (e) {
      expect((e as SegmentError).code).toBe('ERR_BAD_SEGMENT');
      expect((e as SegmentError).field).toBe('--segment');
    }
  });

  it('partitions any prefix 0..m−1: the counts of segments 1..N add up to m', () => {
    for (let count = 1; count <= 7; count++) {
      for (let m = 0; m <= 40; m++) {
        let sum = 0;
        for (let index = 1; index <= count; index++) {
          const s = { index, count };
          let direct = 0;
          for (let i = 0; i < m; i++) if (inSegment(i, s)) direct++;
          expect(countInSegment(m, s)).toBe(direct);
          sum += direct;
        }
        expect(sum).toBe(m);
      }
    }
  });
});
