/**
 * Bucketing a long timeline (a national real-time run has ~40,000 intervals) into at most
 * `maxPoints` points, aggregating each bucket the way its metric allows: counts are summed
 * (so rates stay true), latencies keep the worst value (so spikes stay visible), cumulative
 * values keep the last one.
 */
export interface Bucket { start: number; end: number }

/** Consecutive ranges [start, end) covering 0..n, no more than maxPoints of them. */
export function buckets(n: number, maxPoints: number): Bucket[] {
  const size = Math.max(1, Math.ceil(n / maxPoints));
  const out: Bucket[] = [];
  for (let start = 0; start < n; start += size) out.push({ start, end: Math.min(n, start + size) });
  return out;
}

export function sumOver(values: ArrayLike<number>, b: Bucket): number {
  let s = 0;
  for (let i = b.start; i < b.end; i++) s += values[i];
  return s;
}

/** Worst value of the bucket, ignoring gaps (null); null when all are gaps. */
export function maxOver(values: ArrayLike<number | null>, b: Bucket): number | null {
  let m: number | null = null;
  for (let i = b.start; i < b.end; i++) {
    const v = values[i];
    if (v !== null && (m === null || v > m)) m = v;
  }
  return m;
}
