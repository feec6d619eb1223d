/**
 * Region counters and vote tallies, in memory: for each region prefix of a TPS code ('' national,
 * 2 province, 4 kab/kota, 6 kecamatan, 10 desa), contest -> key -> n, shaped for the views' reads.
 * key: '#tps' TPS that uploaded the contest, '#complete' (contest '*') TPS with every contest
 * held there, '#sah' / '#tidak_sah' vote totals, else a candidate id and its votes. A key is
 * present only while its count is not 0, so counters built live and rebuilt at open are equal.
 *
 * Nothing here is durable: the writer (uploads.ts) returns one CounterDelta per stored version,
 * and `apply` runs only after the batch holding them committed (a rolled-back batch counts
 * nothing). When a file is opened, `rebuild` sums the current versions (the highest of each
 * form in uploads) again, so a restart after a crash counts exactly what is on disk.
 *
 * Each region also carries a stamp, the number of the last committed batch that changed it (or
 * a TPS below it) and the newest upload time among its current forms: response caches key on
 * the stamp, and public JSON shows that time as `ts`.
 */
import { IS_CURRENT, type Db } from './db.js';

/** contest -> key -> n, for one region. Read-only for callers. */
export type RegionCounters = Map<string, Map<string, number>>;

/** What one stored version changes: added to every prefix of its TPS. */
export interface CounterDelta {
  tps: string;
  contest: string;
  /** Upload time of the stored version (ms). */
  ts: number;
  /** key -> change (new version minus the one it replaced); '#tps' 1 for a first version. */
  diff: Record<string, number>;
  /** This version made its TPS hold every contest held there. */
  complete: boolean;
}

interface RegionEntry {
  counters: RegionCounters;
  /** Last committed batch that changed this region (0: none since open, not even rebuilt). */
  seq: number;
  /** Newest upload time (ms) among what this region counts, 0 if none. */
  ts: number;
}

const EMPTY: RegionCounters = new Map();

/** Region prefixes a TPS counts towards: national, province, kab/kota, kecamatan, desa. */
export function prefixesOf(tps: string): string[] {
  return ['', tps.slice(0, 2), tps.slice(0, 4), tps.slice(0, 6), tps.slice(0, 10)];
}

function add(counters: RegionCounters, contest: string, key: string, n: number): void {
  if (n === 0) return;
  let c = counters.get(contest);
  if (!c) counters.set(contest, (c = new Map()));
  const v = (c.get(key) ?? 0) + n;
  if (v === 0) {
    c.delete(key);
    if (c.size === 0) counters.delete(contest);
  } else {
    c.set(key, v);
  }
}

export class RegionCounterStore {
  private readonly regions = new Map<string, RegionEntry>();
  /** Committed batches applied since open (bumps the regions they touch). */
  private batches = 0;
  /** When the store was opened (ms): the `ts` of a region nothing was uploaded to. */
  readonly openedAt = Date.now();

  /** Counters of a region (empty when it has none). */
  region(code: string): RegionCounters {
    return this.regions.get(code)?.counters ?? EMPTY;
  }

  /** Changes whenever the counters of `code` or of anything below it change (0 before any). */
  seqOf(code: string): number {
    return this.regions.get(code)?.seq ?? 0;
  }

  /** Newest upload time (ms) counted in `code`, or when the store was opened if none. */
  updatedAt(code: string): number {
    return this.regions.get(code)?.ts || this.openedAt;
  }

  private entry(code: string): RegionEntry {
    let e = this.regions.get(code);
    if (!e) this.regions.set(code, (e = { counters: new Map(), seq: 0, ts: 0 }));
    return e;
  }

  /** Applies the deltas of one committed batch. */
  apply(deltas: readonly CounterDelta[]): void {
    if (deltas.length === 0) return;
    const seq = ++this.batches;
    for (const d of deltas) {
      for (const p of prefixesOf(d.tps)) {
        const e = this.entry(p);
        e.seq = seq;
        if (d.ts > e.ts) e.ts = d.ts;
        for (const k in d.diff) add(e.counters, d.contest, k, d.diff[k]);
        if (d.complete) add(e.counters, '*', '#complete', 1);
      }
    }
  }

  /**
   * Counters of the current versions on disk. `contestsAt(tps)`: how many contests a TPS holds
   * (what makes it complete). Sums per desa first, then adds each desa into its four ancestors.
   */
  static rebuild(db: Db, contestsAt: (tps: string) => number): RegionCounterStore {
    const s = new RegionCounterStore();
    const rows = db.prepare(
      `SELECT u.tps, u.contest, u.chart, u.administrasi, u.ts FROM uploads u WHERE ${IS_CURRENT} ORDER BY u.tps`,
    ).raw();
    let tps = '';
    let held = 0;
    let desa: RegionEntry | null = null;
    const closeTps = (): void => {
      if (desa && held === contestsAt(tps)) add(desa.counters, '*', '#complete', 1);
    };
    const bump = (c: Map<string, number>, k: string, n: number): void => {
      if (n !== 0) c.set(k, (c.get(k) ?? 0) + n); // counts are never negative: no key reaches 0
    };
    for (const r of rows.iterate() as IterableIterator<[string, string, string, string, number]>) {
      const code = r[0];
      const contest = r[1];
      if (code !== tps) {
        closeTps();
        tps = code;
        held = 0;
        desa = s.entry(code.slice(0, 10));
      }
      held++;
      const e = desa!;
      if (r[4] > e.ts) e.ts = r[4];
      let c = e.counters.get(contest);
      if (!c) e.counters.set(contest, (c = new Map()));
      const votes = JSON.parse(r[2]) as Record<string, number>;
      for (const k in votes) bump(c, k, votes[k]);
      const adm = JSON.parse(r[3]) as { suara_sah?: number; suara_tidak_sah?: number };
      bump(c, '#sah', adm.suara_sah ?? 0);
      bump(c, '#tidak_sah', adm.suara_tidak_sah ?? 0);
      bump(c, '#tps', 1);
      if (c.size === 0) e.counters.delete(contest);
    }
    closeTps();
    const seq = s.batches = 1;
    for (const [code, d] of [...s.regions]) {
      d.seq = seq;
      for (const p of prefixesOf(code).slice(0, 4)) {
        const e = s.entry(p);
        e.seq = seq;
        if (d.ts > e.ts) e.ts = d.ts;
        for (const [contest, keys] of d.counters) for (const [k, n] of keys) add(e.counters, contest, k, n);
      }
    }
    return s;
  }

  /** Every region's counters as plain data, sorted (tests compare two stores). */
  snapshot(): Record<string, Record<string, Record<string, number>>> {
    const out: Record<string, Record<string, Record<string, number>>> = {};
    for (const code of [...this.regions.keys()].sort()) {
      const c = this.regions.get(code)!.counters;
      if (c.size === 0) continue;
      const r: Record<string, Record<string, number>> = {};
      for (const contest of [...c.keys()].sort()) r[contest] = Object.fromEntries([...c.get(contest)!].sort(([a], [b]) => (a < b ? -1 : 1)));
      out[code] = r;
    }
    return out;
  }
}
