/**
 * The mock server's own view of latency, from its GET /metrics: the cumulative bucket counts
 * of `ujibeban_http_request_duration_seconds` summed over every route but /metrics itself.
 * Two snapshots give the histogram of the requests answered between them, and a quantile
 * of it is interpolated inside its bucket the way Prometheus's histogram_quantile() does.
 * A soak compares this p99 (time inside the server) with the load generator's (time from
 * the intended send instant): the difference is queueing in front of the server and the
 * load generator's own lag.
 */
import { request } from 'undici';

const METRIC = 'ujibeban_http_request_duration_seconds_bucket';

/** Cumulative count per upper bound (seconds; Infinity for +Inf), bounds ascending. */
export interface BucketSnapshot {
  bounds: number[];
  counts: number[];
}

/** Parses the Prometheus text exposition: sums the duration buckets of every route but /metrics. */
export function parseDurationBuckets(text: string): BucketSnapshot {
  const byBound = new Map<number, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(METRIC) || line.includes('route="/metrics"')) continue;
    const le = /[{,]le="([^"]+)"/.exec(line);
    const value = /\}\s+(\S+)/.exec(line);
    if (!le || !value) continue;
    const bound = le[1] === '+Inf' ? Infinity : Number(le[1]);
    byBound.set(bound, (byBound.get(bound) ?? 0) + Number(value[1]));
  }
  const bounds = [...byBound.keys()].sort((a, b) => a - b);
  return { bounds, counts: bounds.map((b) => byBound.get(b)!) };
}

export async function fetchDurationBuckets(baseUrl: string): Promise<BucketSnapshot | null> {
  try {
    const res = await request(new URL('/metrics', baseUrl), { headersTimeout: 5000, bodyTimeout: 5000 });
    const text = await res.body.text();
    return res.statusCode === 200 ? parseDurationBuckets(text) : null;
  } catch {
    return null;
  }
}

/**
 * The q-quantile (0..1) in ms of the requests counted between two snapshots, or null when
 * none were. Linear inside the bucket; a quantile in the +Inf bucket answers its lower bound.
 */
export function quantileBetween(from: BucketSnapshot, to: BucketSnapshot, q: number): number | null {
  const before = new Map(from.bounds.map((b, i) => [b, from.counts[i]]));
  const counts = to.bounds.map((b, i) => to.counts[i] - (before.get(b) ?? 0));
  const total = counts.at(-1) ?? 0;
  if (total <= 0) return null;
  const rank = q * total;
  for (let i = 0; i < counts.length; i++) {
    if (counts[i] < rank) continue;
    const lo = i === 0 ? 0 : to.bounds[i - 1];
    const hi = to.bounds[i];
    if (hi === Infinity) return lo * 1000;
    const below = i === 0 ? 0 : counts[i - 1];
    const inBucket = counts[i] - below;
    return (lo + (hi - lo) * (inBucket > 0 ? (rank - below) / inBucket : 1)) * 1000;
  }
  return null;
}
