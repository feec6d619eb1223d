/**
 * Request counters of one series over one span (an interval or the whole run): totals by
 * outcome, by HTTP status and by error code. Plain objects keyed by short strings: after the
 * first few keys an increment allocates nothing.
 */
import type { Histogram } from '../../src/result/hdr.js';
import { newHistogram } from '../../src/result/hdr.js';

const STATUS_KEYS: string[] = [];
/** "200", "503", ... without allocating a string per sample; 0 (no response) is "error". */
export function statusKey(status: number): string {
  if (status === 0) return 'error';
  return STATUS_KEYS[status] ??= String(status);
}

/**
 * A copy of a counts map that is cheap to keep. V8 stores integer-like keys ("200", "503") as
 * array elements: an object that got "503" by assignment holds a backing store of ~760 slots
 * (~6 KB; ~2.6 KB for "200" alone), which made each timeline interval cost ~18 KB of heap at
 * three series (67 MB per hour). JSON.parse builds sparse elements as a dictionary (~200 B).
 * Same keys, values and enumeration order (integer keys ascending, then the rest in order).
 */
export function compactMap(m: Record<string, number>): Record<string, number> {
  for (const _ in m) return JSON.parse(JSON.stringify(m)) as Record<string, number>;
  return m;
}

export class Counts {
  requests = 0;
  ok = 0;
  failed = 0;
  by_status: Record<string, number> = {};
  by_code: Record<string, number> = {};

  add(status: number, code: string): void {
    this.requests++;
    if (status >= 200 && status < 300) this.ok++;
    else this.failed++;
    const k = statusKey(status);
    this.by_status[k] = (this.by_status[k] ?? 0) + 1;
    if (code !== '') this.by_code[code] = (this.by_code[code] ?? 0) + 1;
  }

  merge(o: Counts): void {
    this.requests += o.requests;
    this.ok += o.ok;
    this.failed += o.failed;
    for (const [k, v] of Object.entries(o.by_status)) this.by_status[k] = (this.by_status[k] ?? 0) + v;
    for (const [k, v] of Object.entries(o.by_code)) this.by_code[k] = (this.by_code[k] ?? 0) + v;
  }

  reset(): void {
    this.requests = 0;
    this.ok = 0;
    this.failed = 0;
    this.by_status = {};
    this.by_code = {};
  }
}

/** Latency (from intended time) and service time (from the actual write) of one series, µs. */
export class SeriesRecord {
  readonly latency: Histogram = newHistogram();
  readonly service: Histogram = newHistogram();
  readonly counts = new Counts();

  reset(): void {
    this.latency.reset();
    this.service.reset();
    this.counts.reset();
  }
}
