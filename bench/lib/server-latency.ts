/**
 * The mock server's own view of latency, from its GET /metrics/latency: an HDR histogram
 * (µs) of the time inside the server of every request since it started, /metrics routes
 * left out. Two snapshots subtracted give exactly the requests answered between them. A soak
 * compares this p99 (time inside the server) with the load generator's (time from the
 * intended send instant): the difference is queueing in front of the server and the load
 * generator's own lag. (The first soaks read /metrics' Prometheus buckets instead; around a
 * 0.1 ms p99 their interpolation moved it by 10-40% between neighbouring buckets.)
 */
import { request } from 'undici';
import { decodeHistogram } from '../../src/result/hdr.js';

/** The encoded cumulative histogram (HdrHistogram compressed base64), or null when unavailable. */
export async function fetchLatencySnapshot(baseUrl: string): Promise<string | null> {
  try {
    const res = await request(new URL('/metrics/latency', baseUrl), { headersTimeout: 5000, bodyTimeout: 5000 });
    const body = await res.body.text();
    if (res.statusCode !== 200) return null;
    const h = (JSON.parse(body) as { histogram?: unknown }).histogram;
    return typeof h === 'string' ? h : null;
  } catch {
    return null;
  }
}

/** The q-quantile (0..1) in ms of the requests answered between two snapshots, or null when none were. */
export function quantileBetween(from: string, to: string, q: number): number | null {
  const window = decodeHistogram(to);
  window.subtract(decodeHistogram(from));
  if (window.totalCount <= 0) return null;
  return window.getValueAtPercentile(q * 100) / 1000;
}
