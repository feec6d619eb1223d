/**
 * Opens the SQLite file and creates the schema. WAL lets the public readers run beside the
 * single writer. synchronous=FULL: an upload is acknowledged only after its transaction is on
 * disk (the design says "acknowledged means durable"; NORMAL in WAL mode could lose the last
 * commits on power loss). Group commit makes FULL affordable: one fsync per batch, not per upload.
 * Region counters are not stored: they are derived from latest + uploads (store/counters.ts).
 *
 * The file remembers the election, scale, seed and regions it was made for: TPS codes depend
 * on them, so reopening it for another scenario is refused instead of mixing two hierarchies.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type Db = Database.Database;

export interface DbIdentity {
  election: string;
  scale: number;
  seed: number;
  regions: 'all' | string[];
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
-- Every accepted version of every form, never updated.
CREATE TABLE IF NOT EXISTS uploads (
  id INTEGER PRIMARY KEY,
  tps TEXT NOT NULL,
  contest TEXT NOT NULL,
  version INTEGER NOT NULL,
  receipt TEXT NOT NULL,
  data_hash TEXT NOT NULL,
  administrasi TEXT NOT NULL,
  chart TEXT NOT NULL,
  client TEXT,
  status_suara INTEGER NOT NULL,
  status_adm INTEGER NOT NULL,
  flags TEXT NOT NULL,
  photos TEXT NOT NULL,
  ts INTEGER NOT NULL,
  UNIQUE (tps, contest, version)
);
-- The current version of each (TPS, contest): what the public JSON shows.
CREATE TABLE IF NOT EXISTS latest (
  tps TEXT NOT NULL,
  contest TEXT NOT NULL,
  upload_id INTEGER NOT NULL,
  version INTEGER NOT NULL,
  data_hash TEXT NOT NULL,
  PRIMARY KEY (tps, contest)
) WITHOUT ROWID;
-- No longer written: region counters and tallies live in memory (counters.ts), rebuilt from
-- latest + uploads at open. Still created so tools that count its rows work; an older file's
-- rows are left as they are and never read.
CREATE TABLE IF NOT EXISTS agg (
  region TEXT NOT NULL,
  contest TEXT NOT NULL,
  key TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (region, contest, key)
) WITHOUT ROWID;
`;

/** 'full': fsync at every commit (acknowledged = on disk); 'normal': WAL without fsync per commit (survives a process crash, not a power loss). */
export type Durability = 'full' | 'normal';

export function openDb(file: string, identity: DbIdentity, durability: Durability = 'full'): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  if (file !== ':memory:') db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`);
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  checkIdentity(db, file, identity);
  return db;
}

function checkIdentity(db: Db, file: string, id: DbIdentity): void {
  const want = JSON.stringify({ election: id.election, scale: id.scale, seed: id.seed, regions: id.regions });
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get('identity') as { value: string } | undefined;
  if (!row) {
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('identity', want);
    return;
  }
  if (row.value !== want) {
    db.close();
    throw new Error(`database ${file} was made for ${row.value}, not ${want}: use another --db file`);
  }
}
