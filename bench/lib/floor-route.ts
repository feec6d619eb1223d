/**
 * The necessary work of one C1 upload, written the most direct way, as a Fastify app for P4
 * (bench/server-ingest.ts, target `floor-necessary`): what any recap server that keeps the
 * mock's promises must do per upload, with nothing of the mock's design around it. It measures
 * a floor: if this route alone is under 0.8× the bare route, no mock that keeps those promises
 * can reach the goal on the same machine; what the mock costs above it is the mock's own.
 *
 * Per upload, on the event loop, beside what the bare route does (Fastify routing, reading the
 * body, a JSON reply):
 *   - verify the bearer token: one HMAC-SHA256 (the mock's token check costs one);
 *   - find the parts: Buffer.indexOf for the boundary in each chunk (as the mock's reader);
 *   - sha256 of the page's bytes as they stream (the mock's receipt and photo hash);
 *   - JSON.parse of the `data` part (the mock also checks it against its schema and sums it);
 *   - idempotence and versions (DESIGN: 200 for an identical re-upload, 201 and version+1 for a
 *     change): a hash of the form and page, the form's current row looked up inside the commit;
 *   - durability: the form's row in SQLite (WAL, synchronous=FULL), committed in groups (a 2 ms
 *     window, as the mock's default), acknowledged after its commit returns. Only the latest
 *     version is kept (the mock keeps every version: its choice, not counted here).
 * The commit runs on the event loop, as the mock's does by default (its --commit-thread moves
 * it to a writer thread). Nothing here is checked (a bad token or form is stored all the
 * same): it is a cost, not a server.
 */
import Database from 'better-sqlite3';
import { createHash, createHmac } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { boundaryOf } from '../../server/upload/multipart-stream.js';

const WINDOW_MS = 2;

interface Parsed { sha256: string; data: unknown }

export function floorApp(file: string, secret: string): FastifyInstance {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE IF NOT EXISTS up (tps TEXT, contest TEXT, version INTEGER, hash TEXT, data TEXT, PRIMARY KEY (tps, contest))');
  const current = db.prepare('SELECT version, hash FROM up WHERE tps = ? AND contest = ?');
  const put = db.prepare('INSERT OR REPLACE INTO up VALUES (?, ?, ?, ?, ?)');
  type Row = [tps: string, contest: string, hash: string, data: string];
  /** The version each row ends at; the same version when identical. */
  const commit = db.transaction((rows: Row[]) => rows.map(([tps, contest, hash, data]) => {
    const was = current.get(tps, contest) as { version: number; hash: string } | undefined;
    if (was?.hash === hash) return { version: was.version, code: 200 };
    put.run(tps, contest, (was?.version ?? 0) + 1, hash, data);
    return { version: (was?.version ?? 0) + 1, code: 201 };
  }));
  type Stored = { version: number; code: number };
  let pending: Array<{ row: Row; done: (s: Stored) => void }> = [];
  let timer: NodeJS.Timeout | null = null;
  const flush = (): void => {
    timer = null;
    const batch = pending;
    pending = [];
    const out = commit(batch.map((p) => p.row));
    batch.forEach((p, i) => p.done(out[i]));
  };
  const store = (row: Row): Promise<Stored> => new Promise((done) => {
    pending.push({ row, done });
    timer ??= setTimeout(flush, WINDOW_MS);
  });

  const app = Fastify({ logger: false });
  app.addHook('onClose', async () => { if (timer) { clearTimeout(timer); flush(); } db.close(); });
  app.addContentTypeParser('multipart/form-data', (req, payload, done) => {
    const boundary = boundaryOf(req.headers['content-type']) ?? '';
    const delim = Buffer.from(`\r\n--${boundary}`);
    const hash = createHash('sha256');
    let head: Buffer | null = null; // the body up to the page's bytes (data part and headers)
    payload.on('data', (chunk: Buffer) => {
      if (head === null) {
        // The data part and the page's headers sit in the first chunk (a 1–2 KB form).
        const pageHeaders = chunk.indexOf('filename=');
        const start = chunk.indexOf('\r\n\r\n', pageHeaders) + 4;
        head = chunk.subarray(0, start);
        chunk = chunk.subarray(start);
      }
      // The page ends at the next delimiter; a delimiter split across chunks is rare and
      // only moves a few bytes in or out of the hash: the cost is the same.
      const end = chunk.indexOf(delim);
      hash.update(end >= 0 ? chunk.subarray(0, end) : chunk);
    });
    payload.once('end', () => {
      const text = head!.toString('utf8');
      const from = text.indexOf('\r\n\r\n') + 4;
      const to = text.indexOf(`\r\n--${boundary}`, from);
      try {
        done(null, { sha256: hash.digest('hex'), data: JSON.parse(text.slice(from, to)) } satisfies Parsed);
      } catch (e) {
        done(e as Error, undefined);
      }
    });
    payload.once('error', (e) => done(e, undefined));
  });
  app.put<{ Params: { tps: string; contest: string } }>('/api/v1/tps/:tps/c1/:contest', async (request, reply) => {
    // The token check's cost: one HMAC over the header (not compared: the client sends none).
    createHmac('sha256', secret).update(String(request.headers.authorization)).digest();
    const { sha256, data } = request.body as Parsed;
    const text = JSON.stringify(data);
    const hash = createHash('sha256').update(text).update(sha256).digest('hex');
    const { version, code } = await store([request.params.tps, request.params.contest, hash, text]);
    reply.code(code);
    return { receipt: hash, version, status_suara: true, status_adm: true, flags: [] };
  });
  return app;
}
