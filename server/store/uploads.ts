/**
 * Storing a C1 upload: idempotent by content, versioned on change. Runs inside a group-commit
 * transaction, so the lookup of the current version and the insert see each other even when
 * two uploads of the same form share a batch. Region counters and vote tallies are not in the
 * database: each stored version yields a CounterDelta (new minus replaced version), collected
 * per batch and handed to the in-memory counters (counters.ts) only after the batch committed.
 */
import { hash } from 'node:crypto';
import type { Administrasi, ContestId, Flag } from '../../src/domain/index.js';
import type { CounterDelta } from './counters.js';
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

/** `[[key, value], ...]` in key order: the same text whatever order the client sent the fields in. */
const sortedPairs = (o: Record<string, unknown>): string => JSON.stringify(Object.keys(o).sort().map((k) => [k, o[k]]));

/**
 * Same tally and same photos = same form; client metadata (attempt, device) does not count.
 * The hash of one concatenated text (one-shot crypto.hash: no Hash object per call), the
 * same digest as updating a Hash part by part, so files written before keep matching.
 */
export function dataHash(op: Pick<UploadOp, 'administrasi' | 'chart' | 'photos'>): string {
  let text = sortedPairs(op.administrasi) + sortedPairs(op.chart);
  for (const p of op.photos) text += p.sha256;
  return hash('sha256', text, 'hex');
}

/** A receipt number shaped like a UUID, derived from what was stored. */
function receiptOf(tps: string, contest: string, version: number, formHash: string): string {
  const x = hash('sha256', `${tps}/${contest}/${version}/${formHash}`, 'hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

export interface UploadApplier {
  /** Runs inside the batch's transaction: one result per operation, in order. */
  apply(ops: UploadOp[]): UploadResult[];
  /** The counter deltas of the last `apply`: call once its transaction committed. */
  takeDeltas(): CounterDelta[];
}

export function makeUploadApplier(db: Db): UploadApplier {
  // The current version is the highest: the unique index (tps, contest, version) read backwards.
  const getLatest = db.prepare(
    `SELECT version, data_hash, receipt, status_suara, status_adm, flags, chart, administrasi
       FROM uploads WHERE tps = ? AND contest = ? ORDER BY version DESC LIMIT 1`,
  );
  const insertUpload = db.prepare(
    `INSERT INTO uploads (tps, contest, version, receipt, data_hash, administrasi, chart, client,
       status_suara, status_adm, flags, photos, ts) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
  );
  // Contests uploaded at a TPS: each has exactly one version 1.
  const countContests = db.prepare('SELECT count(*) FROM uploads WHERE tps = ? AND version = 1').pluck();

  let deltas: CounterDelta[] = [];

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
    insertUpload.run(
      op.tps, op.contest, version, receipt, hash, JSON.stringify(op.administrasi), JSON.stringify(op.chart),
      op.client === undefined ? null : JSON.stringify(op.client), op.status_suara ? 1 : 0, op.status_adm ? 1 : 0,
      JSON.stringify(op.flags), JSON.stringify(op.photos), op.ts,
    );

    // Tallies move by the difference between the new and the replaced version.
    const oldChart: Record<string, number> = prev ? JSON.parse(prev.chart) : {};
    const oldAdm: Partial<Administrasi> = prev ? JSON.parse(prev.administrasi) : {};
    const diff: Record<string, number> = {};
    for (const id in oldChart) diff[id] = -oldChart[id];
    for (const id in op.chart) diff[id] = (diff[id] ?? 0) + op.chart[id];
    diff['#sah'] = op.administrasi.suara_sah - (oldAdm.suara_sah ?? 0);
    diff['#tidak_sah'] = op.administrasi.suara_tidak_sah - (oldAdm.suara_tidak_sah ?? 0);
    if (!prev) diff['#tps'] = 1;
    const complete = !prev && (countContests.get(op.tps) as number) === op.contestsAtTps;
    deltas.push({ tps: op.tps, contest: op.contest, ts: op.ts, diff, complete });
    return {
      statusCode: 201, receipt, version, outcome: prev ? 'corrected' : 'new',
      status_suara: op.status_suara, status_adm: op.status_adm, flags: op.flags,
    };
  };

  return {
    apply: (ops) => {
      deltas = [];
      return ops.map(applyOne);
    },
    takeDeltas: () => {
      const d = deltas;
      deltas = [];
      return d;
    },
  };
}
