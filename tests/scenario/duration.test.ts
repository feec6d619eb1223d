import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration, tryParseDuration } from '../../src/scenario/duration.js';

describe('durations', () => {
  it.each([
    ['250ms', 250], ['30s', 30_000], ['5m', 300_000], ['1h', 3_600_000], ['1h30m', 5_400_000],
    ['1.5s', 1500], ['0s', 0], ['2m30s', 150_000], ['1m500ms', 60_500],
  ])('parses %s as %d ms', (s, ms) => {
    expect(parseDuration(s)).toBe(ms);
  });

  it.each(['fast', '', '30', '5 m', '-1s', 's', '1d', '30S', '1s1h', '5ms5m'])('rejects %j', (s) => {
    expect(tryParseDuration(s)).toBeNull();
    expect(() => parseDuration(s)).toThrow(/expected a duration like "250ms"/);
  });

  it.each([[0, '0s'], [250, '250ms'], [1500, '1.5s'], [30_000, '30s'], [300_000, '5m'], [5_400_000, '1h30m'], [3_661_000, '1h1m1s']])(
    'formats %d ms as %s and back', (ms, s) => {
      expect(formatDuration(ms)).toBe(s);
      expect(parseDuration(s)).toBe(ms);
    },
  );
});
