/**
 * Upload progress of a region and of each of its children: TPS total, TPS with every contest
 * uploaded, and per contest the TPS that hold it and how many uploaded it. Totals come from the
 * hierarchy (national totals computed once per hierarchy), counts from the in-memory region
 * counters, TPS-level children from the current forms of one desa (one range read).
 */
import type { ContestId, Hierarchy, Region } from '../../src/domain/index.js';
import { contestsIn } from '../../src/domain/index.js';
import type { RegionCounterStore, RegionCounters } from '../store/counters.js';
import type { Queries } from '../store/queries.js';

export interface ContestProgress { tps_total: number; tps_uploaded: number }

export interface RegionProgress {
  code: string;
  name: string;
  tingkat: number;
  tps_total: number;
  tps_complete: number;
  persen: number;
  contests: Record<string, ContestProgress>;
}

export const percent = (n: number, d: number): number => (d > 0 ? Math.round((n / d) * 10000) / 100 : 0);

const nationalTotals = new WeakMap<Hierarchy, Map<ContestId, number>>();

/** TPS in a region that hold a contest: contests differ only by province (DIY, Jakarta, overseas). */
export function contestTotal(h: Hierarchy, r: Region | 'national', contest: ContestId): number {
  if (r === 'national') {
    let m = nationalTotals.get(h);
    if (!m) nationalTotals.set(h, (m = new Map()));
    let n = m.get(contest);
    if (n === undefined) {
      n = h.provinces().reduce((s, p) => s + (contestsIn(h.election, p.province.code).includes(contest) ? p.tpsCount : 0), 0);
      m.set(contest, n);
    }
    return n;
  }
  return contestsIn(h.election, r.code).includes(contest) ? r.tpsCount : 0;
}

function fromCounters(h: Hierarchy, r: Region | 'national', counters: RegionCounters | undefined, contests: readonly ContestId[]): Omit<RegionProgress, 'code' | 'name' | 'tingkat'> {
  const total = r === 'national' ? h.totalTps : r.tpsCount;
  const complete = counters?.get('*')?.get('#complete') ?? 0;
  const out: Record<string, ContestProgress> = {};
  for (const c of contests) {
    out[c] = { tps_total: contestTotal(h, r, c), tps_uploaded: counters?.get(c)?.get('#tps') ?? 0 };
  }
  return { tps_total: total, tps_complete: complete, persen: percent(complete, total), contests: out };
}

export function regionProgress(h: Hierarchy, q: Queries, counters: RegionCounterStore, code: string, contests: readonly ContestId[]): RegionProgress {
  const r = code === '' ? 'national' : h.region(code);
  if (!r) throw new Error(`unknown region ${code}`);
  const name = r === 'national' ? 'Indonesia' : r.name;
  const tingkat = r === 'national' ? 0 : r.level;
  if (r !== 'national' && r.level === 5) {
    const done = q.uploadedUnder(code).get(code) ?? new Set<string>();
    return tpsProgress(h, r, done, contests);
  }
  return { code, name, tingkat, ...fromCounters(h, r, counters.region(code), contests) };
}

function tpsProgress(h: Hierarchy, r: Region, done: Set<string>, contests: readonly ContestId[]): RegionProgress {
  const held = h.contestsAt(r.code);
  const out: Record<string, ContestProgress> = {};
  for (const c of contests) out[c] = { tps_total: held.includes(c) ? 1 : 0, tps_uploaded: done.has(c) ? 1 : 0 };
  const complete = held.every((c) => done.has(c)) ? 1 : 0;
  return { code: r.code, name: r.name, tingkat: 5, tps_total: 1, tps_complete: complete, persen: complete * 100, contests: out };
}

/** Progress of every child of a region ('' = the provinces), in code order. */
export function childrenProgress(h: Hierarchy, q: Queries, counters: RegionCounterStore, code: string, contests: readonly ContestId[]): RegionProgress[] {
  const kids = h.children(code) ?? [];
  if (kids.length === 0) return [];
  if (kids[0].level === 5) {
    const uploaded = q.uploadedUnder(code);
    return kids.map((k) => tpsProgress(h, k, uploaded.get(k.code) ?? new Set(), contests));
  }
  return kids.map((k) => ({ code: k.code, name: k.name, tingkat: k.level, ...fromCounters(h, k, counters.region(k.code), contests) }));
}
