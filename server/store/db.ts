/**
 * Opens the SQLite file and creates the schema. WAL lets the public readers run beside the
 * single writer. synchronous=FULL: an upload is acknowledged only after its transaction is on
 * disk (the design says "acknowledged means durable"; NORMAL in WAL mode could lose the last
 * commits on power loss). Group commit makes FULL affordable: one fsync per batch, not per upload.
 * Region counters are not stored: they are derived from the current versions (store/counters.ts).
 *
 * One table holds every version; the current one is the highest. Files written before kept a
 * separate `latest` table, written with every upload (a third B-tree per insert); it is replaced
 * by a view of the same name when such a file is opened. An older server then stops at start
 * ("cannot modify latest because it is a view", when it prepares its writes) instead of
 * keeping a stale table beside the uploads.
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
-- No longer written: region counters and tallies live in memory (counters.ts), rebuilt from
-- the current versions at open. Still created so tools that count its rows work; an older file's
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
  latestAsView(db);
  return db;
}

/**
 * The current version of each (TPS, contest) is its highest, found through the unique index:
 * this keeps the rows of `uploads u` that are current.
 */
export const IS_CURRENT = 'u.version = (SELECT max(v.version) FROM uploads v WHERE v.tps = u.tps AND v.contest = u.contest)';

/** The current versions under the old table's name, for tools and older readers (the server queries uploads). */
const LATEST_VIEW = `CREATE VIEW latest AS SELECT tps, contest, id AS upload_id, version, data_hash FROM uploads u WHERE ${IS_CURRENT}`;

/** Creates the view; a file from before holds `latest` as a table whose rows repeat uploads: it goes. */
function latestAsView(db: Db): void {
  const kind = db.prepare("SELECT type FROM sqlite_master WHERE name = 'latest'").pluck().get();
  if (kind === 'view') return;
  db.transaction(() => {
    if (kind === 'table') db.exec('DROP TABLE latest');
    db.exec(LATEST_VIEW);
  })();
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
