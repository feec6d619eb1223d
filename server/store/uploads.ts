/**
 * Storing a C1 upload: idempotent by content, versioned on change. Runs inside a group-commit
 * transaction, so the lookup of the current version and the insert see each other even when
 * two uploads of the same form share a batch. Region counters and vote tallies move in the
 * same transaction (see db.ts, table agg).
 */
import { createHash } from 'node:crypto';
import type { Administrasi, ContestId, Flag } from '../../src/domain/index.js';
import type { Db } from './db.js';

export interface PhotoInfo {
  sha256: string;
  bytes: number;
}

export interface UploadOp {
  tps: string;
  contest: ContestId;
  /** How many contests this TPS holds (to know when it is complete). */
  contestsAtTps: number;
  administrasi: Administrasi;
  chart: Record<string, number>;
  client: unknown;
  status_suara: boolean;
  status_adm: boolean;
  flags: Flag[];
  photos: PhotoInfo[];
  ts: number;
}

export interface UploadResult {
  /** 201 new or corrected, 200 identical re-upload. */
  statusCode: 200 | 201;
  receipt: string;
  version: number;
  status_suara: boolean;
  status_adm: boolean;
  flags: string[];
  /** 'new' | 'corrected' | 'identical' (metrics). */
  outcome: 'new' | 'corrected' | 'identical';
}

/** Same tally and same photos = same form; client metadata (attempt, device) does not count. */
export function dataHash(op: Pick<UploadOp, 'administrasi' | 'chart' | 'photos'>): string {
  const h = createHash('sha256');
  h.update(JSON.stringify(Object.keys(op.administrasi).sort().map((k) => [k, op.administrasi[k as keyof Administrasi]])));
  h.update(JSON.stringify(Object.keys(op.chart).sort().map((k) => [k, op.chart[k]])));
  for (const p of op.photos) h.update(p.sha256);
  return h.digest('hex');
}

/** A receipt number shaped like a UUID, derived from what was stored. */
function receiptOf(tps: string, contest: string, version: number, hash: string): string {
  const x = createHash('sha256').update(`${tps}/${contest}/${version}/${hash}`).digest('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** Region prefixes a TPS counts towards: national, province, kab/kota, kecamatan, desa. */
export function prefixesOf(tps: string): string[] {
  return ['', tps.slice(0, 2), tps.slice(0, 4), tps.slice(0, 6), tps.slice(0, 10)];
}

export function makeUploadApplier(db: Db): (ops: UploadOp[]) => UploadResult[] {
  const getLatest = db.prepare(
    `SELECT l.version, l.data_hash, u.receipt, u.status_suara, u.status_adm, u.flags, u.chart, u.administrasi
       FROM latest l JOIN uploads u ON u.id = l.upload_id WHERE l.tps = ? AND l.contest = ?`,
  );
  const insertUpload = db.prepare(
    `INSERT INTO uploads (tps, contest, version, receipt, data_hash, administrasi, chart, client,
       status_suara, status_adm, flags, photos, ts) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
  );
  const upsertLatest = db.prepare(
    `INSERT INTO latest (tps, contest, upload_id, version, data_hash) VALUES (?,?,?,?,?)
     ON CONFLICT (tps, contest) DO UPDATE SET upload_id = excluded.upload_id,
       version = excluded.version, data_hash = excluded.data_hash`,
  );
  const countContests = db.prepare('SELECT count(*) AS n FROM latest WHERE tps = ?').pluck();
  const bump = db.prepare(
    `INSERT INTO agg (region, contest, key, n) VALUES (?,?,?,?)
     ON CONFLICT (region, contest, key) DO UPDATE SET n = n + excluded.n`,
  );

  /** Counter deltas of one batch, summed before they touch the table: uploads of one batch share prefixes. */
  const deltas = new Map<string, number>();
  const addAll = (tps: string, contest: string, key: string, n: number): void => {
    if (n === 0) return;
    for (const p of prefixesOf(tps)) {
      const k = `${p}\u0000${contest}\u0000${key}`;
      deltas.set(k, (deltas.get(k) ?? 0) + n);
    }
  };
  const flushDeltas = (): void => {
    for (const [k, n] of deltas) {
      if (n === 0) continue;
      const [region, contest, key] = k.split('\u0000');
      bump.run(region, contest, key, n);
    }
    deltas.clear();
  };

  const applyOne = (op: UploadOp): UploadResult => {
    const hash = dataHash(op);
    const prev = getLatest.get(op.tps, op.contest) as
      | { version: number; data_hash: string; receipt: string; status_suara: number; status_adm: number; flags: string; chart: string; administrasi: string }
      | undefined;
    if (prev && prev.data_hash === hash) {
      return {
        statusCode: 200, receipt: prev.receipt, version: prev.version, outcome: 'identical',
        status_suara: prev.status_suara === 1, status_adm: prev.status_adm === 1, flags: JSON.parse(prev.flags),
      };
    }
    const version = (prev?.version ?? 0) + 1;
    const receipt = receiptOf(op.tps, op.contest, version, hash);
    const info = insertUpload.run(
      op.tps, op.contest, version, receipt, hash, JSON.stringify(op.administrasi), JSON.stringify(op.chart),
      op.client === undefined ? null : JSON.stringify(op.client), op.status_suara ? 1 : 0, op.status_adm ? 1 : 0,
      JSON.stringify(op.flags), JSON.stringify(op.photos), op.ts,
    );
    upsertLatest.run(op.tps, op.contest, info.lastInsertRowid, version, hash);

    // Tallies move by the difference between the new and the replaced version.
    const oldChart: Record<string, number> = prev ? JSON.parse(prev.chart) : {};
    const oldAdm: Partial<Administrasi> = prev ? JSON.parse(prev.administrasi) : {};
    for (const id of new Set([...Object.keys(oldChart), ...Object.keys(op.chart)])) {
      addAll(op.tps, op.contest, id, (op.chart[id] ?? 0) - (oldChart[id] ?? 0));
    }
    addAll(op.tps, op.contest, '#sah', op.administrasi.suara_sah - (oldAdm.suara_sah ?? 0));
    addAll(op.tps, op.contest, '#tidak_sah', op.administrasi.suara_tidak_sah - (oldAdm.suara_tidak_sah ?? 0));
    if (!prev) {
      addAll(op.tps, op.contest, '#tps', 1);
      if ((countContests.get(op.tps) as number) === op.contestsAtTps) addAll(op.tps, '*', '#complete', 1);
    }
    return {
      statusCode: 201, receipt, version, outcome: prev ? 'corrected' : 'new',
      status_suara: op.status_suara, status_adm: op.status_adm, flags: op.flags,
    };
  };

  // Runs inside the batch's transaction.
  return (ops) => {
    deltas.clear();
    const results = ops.map(applyOne);
    flushDeltas();
    return results;
  };
}
