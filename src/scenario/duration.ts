/**
 * Durations as scenario authors write them ("250ms", "30s", "5m", "1h", "1h30m", "1.5s") and
 * back. One small grammar shared by the schema (DURATION_PATTERN), the loader and describe.
 */

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
type Unit = keyof typeof UNIT_MS;

/** The JSON Schema pattern of a duration string: one or more <number><unit> parts, h > m > s > ms. */
export const DURATION_PATTERN = '^(\\d+(\\.\\d+)?h)?(\\d+(\\.\\d+)?m(?!s))?(\\d+(\\.\\d+)?s)?(\\d+(\\.\\d+)?ms)?$';

const DURATION = new RegExp(DURATION_PATTERN);
const PART = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;

/** What a duration looks like, for error messages. */
export const DURATION_EXPECTED = 'a duration like "250ms", "2s", "5m", "1h" or "1h30m"';

/** "1h30m" -> 5_400_000 ms, or null when `s` is not a duration. "0s" is 0. */
export function tryParseDuration(s: string): number | null {
  if (typeof s !== 'string' || s === '' || !DURATION.test(s)) return null;
  let ms = 0;
  for (const m of s.matchAll(PART)) ms += Number(m[1]) * UNIT_MS[m[2] as Unit];
  return Math.round(ms * 1000) / 1000;
}

/** Like tryParseDuration, but throws a RangeError naming the expectation. */
export function parseDuration(s: string): number {
  const ms = tryParseDuration(s);
  if (ms === null) throw new RangeError(`expected ${DURATION_EXPECTED}, got ${JSON.stringify(s)}`);
  return ms;
}

/** 5_400_000 -> "1h30m", 250 -> "250ms", 1500 -> "1.5s", 0 -> "0s". Inverse of parseDuration. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`cannot format duration ${ms} ms`);
  if (ms === 0) return '0s';
  if (ms < 1000) return `${trim(ms)}ms`;
  const h = Math.floor(ms / UNIT_MS.h);
  const m = Math.floor((ms % UNIT_MS.h) / UNIT_MS.m);
  const rest = ms - h * UNIT_MS.h - m * UNIT_MS.m;
  let out = '';
  if (h > 0) out += `${h}h`;
  if (m > 0) out += `${m}m`;
  if (rest > 0) out += Number.isInteger(rest / 1000) || rest >= 1000 ? `${trim(rest / 1000)}s` : `${trim(rest)}ms`;
  return out;
}

/** Up to 3 decimals, no trailing zeros. */
function trim(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}
