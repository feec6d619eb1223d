/**
 * The store keeps every version in one table; the current form is the highest version
 * (server/store/db.ts). `latest` is a view of the current versions: a file written before,
 * which kept `latest` as a table written with every upload, is converted when opened, and
 * reads answer from uploads alone.
 */
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { RegionCounterStore } from '../../server/store/counters.js';
import { openDb } from '../../server/store/db.js';
import { Queries } from '../../server/store/queries.js';
import { makeUploadApplier, type UploadOp } from '../../server/store/uploads.js';
import { removeDir, tempDir, tpsIn, WORLD } from './helpers.js';

const dir = tempDir();
afterAll(() => removeDir(dir));
const identity = { ...WORLD, regions: [...WORLD.regions] };

const op = (tps: string, chart: Record<string, number>): UploadOp => ({
  tps, contest: 'pkwkp', contestsAtTps: 1,
  administrasi: { suara_sah: Object.values(chart).reduce((a, b) => a + b, 0), suara_tidak_sah: 1 } as UploadOp['administrasi'],
  chart, client: undefined, status_suara: true, status_adm: true, flags: [],
  photos: [{ sha256: 'a'.repeat(64), bytes: 10 }], ts: 1_700_000_000_000,
});

const kindOf = (db: Database.Database, name: string): unknown => db.prepare('SELECT type FROM sqlite_master WHERE name = ?').pluck().get(name);

describe('store schema: every version in one table, the current one the highest', () => {
  it('reads the highest version as current, and `latest` is a view that no one can write', () => {
    const db = openDb(join(dir, 'new.sqlite'), identity);
    const applier = makeUploadApplier(db);
    const [a, b] = [tpsIn('6205', 0), tpsIn('6205', 1)];
    const store = db.transaction((ops: UploadOp[]) => applier.apply(ops));
    expect(store([op(a, { x: 5 }), op(b, { x: 2 })]).map((r) => r.version)).toEqual([1, 1]);
    expect(store([op(a, { x: 7 })]).map((r) => r.version)).toEqual([2]);
    expect(store([op(a, { x: 7 })])[0]).toMatchObject({ statusCode: 200, version: 2 }); // identical to the current one

    const q = new Queries(db);
    expect(q.currentForm(a, 'pkwkp')).toMatchObject({ version: 2, chart: { x: 7 } });
    expect([...q.formsUnder(a.slice(0, 10), 'pkwkp')].map(([t, f]) => [t, f.version])).toEqual([[a, 2], [b, 1]]);
    expect(q.uploadRows()).toBe(3);
    expect(RegionCounterStore.rebuild(db, () => 1).region('').get('pkwkp')?.get('x')).toBe(9);

    expect(kindOf(db, 'latest')).toBe('view');
    expect(db.prepare('SELECT tps, version FROM latest ORDER BY tps').all()).toEqual([{ tps: a, version: 2 }, { tps: b, version: 1 }]);
    // A server from before prepares an upsert into latest: it fails at start instead of keeping a stale copy.
    expect(() => db.prepare("INSERT INTO latest (tps, contest, upload_id, version, data_hash) VALUES ('t', 'c', 1, 1, 'h')").run()).toThrow(/view/);
    db.close();
  });

  it('converts a file whose `latest` is a table, keeping every upload and answering from uploads', () => {
    const file = join(dir, 'old.sqlite');
    const first = openDb(file, identity);
    const store = first.transaction((ops: UploadOp[]) => makeUploadApplier(first).apply(ops));
    const tps = tpsIn('6205', 3);
    store([op(tps, { x: 5 })]);
    store([op(tps, { x: 8 })]);
    // The layout written before: latest as a table, here deliberately stale (version 1), which
    // the conversion must not trust.
    first.exec(`DROP VIEW latest;
      CREATE TABLE latest (tps TEXT NOT NULL, contest TEXT NOT NULL, upload_id INTEGER NOT NULL, version INTEGER NOT NULL,
        data_hash TEXT NOT NULL, PRIMARY KEY (tps, contest)) WITHOUT ROWID;
      INSERT INTO latest SELECT tps, contest, id, version, data_hash FROM uploads WHERE version = 1;`);
    first.close();

    const db = openDb(file, identity);
    expect(kindOf(db, 'latest')).toBe('view');
    expect(db.prepare('SELECT version FROM latest').pluck().all()).toEqual([2]);
    expect(new Queries(db).currentForm(tps, 'pkwkp')).toMatchObject({ version: 2, chart: { x: 8 } });
    expect(new Queries(db).uploadRows()).toBe(2);
    expect(RegionCounterStore.rebuild(db, () => 1).region('').get('pkwkp')?.get('x')).toBe(8);
    db.close();
  });

  it('leaves a file made for another scenario untouched when it refuses it', () => {
    const file = join(dir, 'other.sqlite');
    const first = openDb(file, identity);
    first.exec(`DROP VIEW latest; CREATE TABLE latest (tps TEXT PRIMARY KEY) WITHOUT ROWID;`);
    first.close();
    expect(() => openDb(file, { ...identity, seed: identity.seed + 1 })).toThrow(/made for/);
    const raw = new Database(file, { readonly: true });
    expect(kindOf(raw, 'latest')).toBe('table');
    raw.close();
  });
});
