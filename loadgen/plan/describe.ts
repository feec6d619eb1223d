/**
 * What --dry-run prints: one walk over a plan's merged arrivals that counts them per bucket
 * (simulated WIB hour for an election day, real 10 s or minute for an executor), finds the
 * busiest real second and counts the TPS started by each checkpoint, per zone. Memory: the
 * buckets and a few counters, whatever the TPS count. formatPlanDescription renders it.
 */
import type { Zone } from '../../src/domain/zones.js';
import type { MergedArrivals } from './merge.js';
import type { PlanCheckpoint, PlanDescription } from './types.js';

export interface DescribeInput {
  /** A fresh merged walk over the plan's arrivals. */
  arrivals: () => MergedArrivals;
  /** The zone of each merged source (null for viewers and executor hits). */
  sourceZones: ReadonlyArray<Zone | null>;
  /** The plan's checkpoints (real instants per zone, targets, totals). */
  checkpoints: readonly PlanCheckpoint[];
  bucketOf: (atMs: number) => number;
  bucketLabel: (index: number) => string;
  bucketWidth: string;
  durationMs: number;
}

interface Counts { officers: number; viewers: number; hits: number }

export function describeArrivals(input: DescribeInput): PlanDescription {
  const buckets = new Map<number, Counts>();
  const cps = input.checkpoints;
  // planned[c][source]: arrivals of a zone source started by checkpoint c's instant in that zone.
  const limits = cps.map((c) => input.sourceZones.map((z) => (z ? c.realMsByZone[z] ?? -Infinity : -Infinity)));
  const planned = cps.map(() => input.sourceZones.map(() => 0));
  let total = 0;
  const counts: Counts = { officers: 0, viewers: 0, hits: 0 };
  let sec = -Infinity;
  let inSec = 0;
  let peak = 0;
  let lastMs = 0;

  const it = input.arrivals();
  for (let r = it.next(); !r.done; r = it.next()) {
    const a = r.value;
    total++;
    lastMs = a.atMs;
    const b = input.bucketOf(a.atMs);
    let bc = buckets.get(b);
    if (!bc) buckets.set(b, (bc = { officers: 0, viewers: 0, hits: 0 }));
    const field = a.kind === 'officer' ? 'officers' : a.kind === 'viewer' ? 'viewers' : 'hits';
    bc[field]++;
    counts[field]++;
    const s = Math.floor(a.atMs / 1000);
    if (s === sec) inSec++;
    else {
      sec = s;
      inSec = 1;
    }
    if (inSec > peak) peak = inSec;
    if (a.kind === 'officer') {
      const src = it.lastSource;
      for (let c = 0; c < cps.length; c++) if (a.atMs <= limits[c][src]) planned[c][src]++;
    }
  }

  const keys = [...buckets.keys()];
  const rows: PlanDescription['buckets'] = [];
  if (keys.length > 0) {
    const lo = Math.min(...keys);
    const hi = Math.max(...keys);
    for (let b = lo; b <= hi; b++) {
      const bc = buckets.get(b) ?? { officers: 0, viewers: 0, hits: 0 };
      rows.push({ label: input.bucketLabel(b), ...bc });
    }
  }

  const checkpoints: PlanCheckpoint[] = cps.map((c, k) => {
    const plannedByZone: Partial<Record<Zone, number>> = {};
    input.sourceZones.forEach((z, src) => {
      if (z) plannedByZone[z] = (plannedByZone[z] ?? 0) + planned[k][src];
    });
    const sum = Object.values(plannedByZone).reduce((x, y) => x + (y ?? 0), 0);
    return { ...c, realMsByZone: { ...c.realMsByZone }, plannedByZone, planned: sum };
  });

  return {
    buckets: rows,
    bucketWidth: input.bucketWidth,
    counts,
    checkpoints,
    peakPerS: peak,
    totalArrivals: total,
    durationMs: total > 0 ? lastMs : 0,
  };
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** "13m 00s", "1h 05m 00s", "59.998s". */
export function formatDurationMs(ms: number): string {
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(3))}s`;
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}h ${String(m).padStart(2, '0')}m ${ss}s` : `${m}m ${ss}s`;
}

const zoneCell = (planned: number, total: number): string =>
  `${int(planned)}/${int(total)} ${pct(total > 0 ? planned / total : 0)}`;

function table(head: string[], rows: string[][]): string[] {
  const w = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (r: string[]) => r.map((v, c) => (c === 0 ? v.padEnd(w[c]) : v.padStart(w[c]))).join('  ').trimEnd();
  return [line(head), line(w.map((n) => '-'.repeat(n))), ...rows.map(line)];
}

/** The --dry-run text: totals, arrivals per bucket, planned share at each checkpoint. */
export function formatPlanDescription(d: PlanDescription): string {
  const out: string[] = [];
  out.push(
    `${int(d.totalArrivals)} arrivals over ${formatDurationMs(d.durationMs)}; peak ${int(d.peakPerS)}/s (busiest real second)`,
  );
  out.push(`officers ${int(d.counts.officers)}, viewers ${int(d.counts.viewers)}, hits ${int(d.counts.hits)}`);
  out.push('');
  const cols: Array<keyof typeof d.counts> = (['officers', 'viewers', 'hits'] as const).filter((k) => d.counts[k] > 0);
  if (d.buckets.length > 0 && cols.length > 0) {
    out.push(...table(
      [d.bucketWidth, ...cols],
      d.buckets.map((b) => [b.label, ...cols.map((k) => int(b[k]))]),
    ));
  }
  if (d.checkpoints.length > 0) {
    out.push('');
    const zones = (['WIB', 'WITA', 'WIT'] as const).filter((z) => d.checkpoints.some((c) => c.plannedByZone[z] !== undefined));
    out.push(...table(
      ['checkpoint (local)', 'target', 'planned', 'share', ...zones],
      d.checkpoints.map((c) => [
        c.at,
        pct(c.target),
        `${int(c.planned)}/${int(c.total)}`,
        pct(c.total > 0 ? c.planned / c.total : 0),
        ...zones.map((z) => zoneCell(c.plannedByZone[z] ?? 0, c.totalByZone[z] ?? 0)),
      ]),
    ));
  }
  return out.join('\n');
}
