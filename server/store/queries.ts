/**
 * Read side of the store in SQLite: the current forms of TPS (the highest version of each in uploads).
 * Prepared once; every query is an indexed point or range read. Region counters and tallies
 * are read from memory (counters.ts).
 */
import { IS_CURRENT, type Db } from './db.js';

export interface StoredForm {
  tps: string;
  contest: string;
  version: number;
  receipt: string;
  administrasi: Record<string, number>;
  chart: Record<string, number>;
  status_suara: boolean;
  status_adm: boolean;
  flags: string[];
  photos: Array<{ sha256: string; bytes: number }>;
  ts: number;
}

interface FormRow {
  tps: string; contest: string; version: number; receipt: string; administrasi: string; chart: string;
  status_suara: number; status_adm: number; flags: string; photos: string; ts: number;
}

const toForm = (r: FormRow): StoredForm => ({
  tps: r.tps, contest: r.contest, version: r.version, receipt: r.receipt,
  administrasi: JSON.parse(r.administrasi), chart: JSON.parse(r.chart),
  status_suara: r.status_suara === 1, status_adm: r.status_adm === 1,
  flags: JSON.parse(r.flags), photos: JSON.parse(r.photos), ts: r.ts,
});

const FORM_COLS = 'u.tps, u.contest, u.version, u.receipt, u.administrasi, u.chart, u.status_suara, u.status_adm, u.flags, u.photos, u.ts';

export class Queries {
  private readonly form;
  private readonly formsIn;
  private readonly uploadCount;
  private readonly contestsIn;

  constructor(db: Db) {
    this.form = db.prepare(
      `SELECT ${FORM_COLS} FROM uploads u WHERE u.tps = ? AND u.contest = ? ORDER BY u.version DESC LIMIT 1`,
    );
    this.formsIn = db.prepare(
      `SELECT ${FORM_COLS} FROM uploads u WHERE u.tps >= ? AND u.tps < ? AND u.contest = ? AND ${IS_CURRENT}`,
    );
    this.uploadCount = db.prepare('SELECT count(*) FROM uploads').pluck();
    // Every uploaded form has exactly one version 1.
    this.contestsIn = db.prepare('SELECT tps, contest FROM uploads WHERE tps >= ? AND tps < ? AND version = 1');
  }

  /** Contests uploaded at each TPS whose code starts with `prefix` (for desa-level views). */
  uploadedUnder(prefix: string): Map<string, Set<string>> {
    const out = new Map<string, Set<string>>();
    for (const r of this.contestsIn.all(prefix, `${prefix}:`) as Array<{ tps: string; contest: string }>) {
      let s = out.get(r.tps);
      if (!s) out.set(r.tps, (s = new Set()));
      s.add(r.contest);
    }
    return out;
  }

  currentForm(tps: string, contest: string): StoredForm | null {
    const r = this.form.get(tps, contest) as FormRow | undefined;
    return r ? toForm(r) : null;
  }

  /** Current forms of a contest at every TPS whose code starts with `prefix`. */
  formsUnder(prefix: string, contest: string): Map<string, StoredForm> {
    const rows = this.formsIn.all(prefix, `${prefix}:`, contest) as FormRow[];
    return new Map(rows.map((r) => [r.tps, toForm(r)]));
  }

  /** Every stored version (tests check that refusals store nothing). */
  uploadRows(): number {
    return this.uploadCount.get() as number;
  }
}
