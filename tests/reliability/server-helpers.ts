/**
 * Helpers for the mock server's reliability suites (and scripts/fuzz-server.ts): a raw HTTP/1.1
 * exchange over a `net` socket (any bytes, bounded by a timeout, so framing the HTTP clients
 * refuse to send can be sent), the row counts of the SQLite file read through a read-only
 * connection of its own (nothing stored from a refused request), and the JSON error shape check.
 */
import { connect } from 'node:net';
import Database from 'better-sqlite3';

export interface RawResponse {
  /** HTTP status, or 0 when the server closed (or the timeout hit) before a status line. */
  status: number;
  headers: Record<string, string>;
  /** Body text (Content-Length bytes, or everything until close). */
  text: string;
  /** Parsed JSON body, or undefined. */
  json: any;
  /** How the exchange ended: a complete answer, the server closed early, or our timeout. */
  end: 'answer' | 'closed' | 'timeout';
  ms: number;
}

/**
 * Sends `request` (bytes, or chunks written `gapMs` apart) to 127.0.0.1:port and reads one
 * answer. Never hangs: after `timeoutMs` the socket is destroyed and `end` is 'timeout'.
 */
export function rawHttp(port: number, request: Buffer | Buffer[], opts: { timeoutMs?: number; gapMs?: number } = {}): Promise<RawResponse> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const chunks = Array.isArray(request) ? request : [request];
  const t0 = Date.now();
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let got = Buffer.alloc(0);
    let done = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (end: RawResponse['end']): void => {
      if (done) return;
      done = true;
      for (const t of timers) clearTimeout(t);
      socket.destroy();
      resolve({ ...parse(got), end: end === 'answer' || parse(got).complete ? 'answer' : end, ms: Date.now() - t0 });
    };
    timers.push(setTimeout(() => finish('timeout'), timeoutMs));
    socket.on('error', () => finish('closed'));
    socket.on('close', () => finish('closed'));
    socket.on('data', (d: Buffer) => {
      got = Buffer.concat([got, d]);
      if (parse(got).complete) finish('answer');
    });
    socket.on('connect', () => {
      chunks.forEach((c, i) => {
        const write = (): void => {
          if (!done && !socket.destroyed) socket.write(c, () => undefined);
        };
        if (i === 0 || !opts.gapMs) write();
        else timers.push(setTimeout(write, i * opts.gapMs));
      });
    });
  });
}

function parse(buf: Buffer): Omit<RawResponse, 'end' | 'ms'> & { complete: boolean } {
  // Interim answers (100 Continue) come before the real one.
  while (/^HTTP\/1\.[01] 1\d\d /.test(buf.subarray(0, 16).toString('latin1')) && buf.indexOf('\r\n\r\n') >= 0) {
    buf = buf.subarray(buf.indexOf('\r\n\r\n') + 4);
  }
  const headEnd = buf.indexOf('\r\n\r\n');
  if (headEnd < 0) return { status: 0, headers: {}, text: '', json: undefined, complete: false };
  const lines = buf.subarray(0, headEnd).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0])?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':');
    if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  const body = buf.subarray(headEnd + 4);
  const len = headers['content-length'] !== undefined ? Number(headers['content-length']) : null;
  const complete = len !== null && body.length >= len;
  const text = (len !== null ? body.subarray(0, len) : body).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status, headers, text, json, complete };
}

/** One HTTP/1.1 request as bytes (Content-Length from the body unless given; Connection: close). */
export function httpRequest(method: string, path: string, headers: Record<string, string>, body: Buffer = Buffer.alloc(0), contentLength?: number): Buffer {
  const h: Record<string, string> = { host: '127.0.0.1', connection: 'close', ...headers };
  if (body.length > 0 || contentLength !== undefined || method === 'PUT' || method === 'POST') h['content-length'] = String(contentLength ?? body.length);
  const head = `${method} ${path} HTTP/1.1\r\n${Object.entries(h).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

export interface DbCounts {
  uploads: number;
  latest: number;
  aggRows: number;
  aggSum: number;
  maxId: number;
}

/** Row counts of a recap database, through a read-only connection (WAL: beside the server's writer). */
export class DbReader {
  private readonly db: Database.Database;
  private readonly q: Database.Statement;
  private readonly receipt: Database.Statement;

  constructor(file: string) {
    this.db = new Database(file, { readonly: true, fileMustExist: true });
    this.q = this.db.prepare(`SELECT
      (SELECT count(*) FROM uploads) AS uploads, (SELECT count(*) FROM latest) AS latest,
      (SELECT count(*) FROM agg) AS aggRows, (SELECT coalesce(sum(n), 0) FROM agg) AS aggSum,
      (SELECT coalesce(max(id), 0) FROM uploads) AS maxId`);
    this.receipt = this.db.prepare('SELECT version FROM uploads WHERE tps = ? AND contest = ? AND receipt = ?').pluck();
  }

  counts(): DbCounts {
    return this.q.get() as DbCounts;
  }

  /** The stored version that carries this receipt, or null. */
  versionOf(tps: string, contest: string, receipt: string): number | null {
    return (this.receipt.get(tps, contest, receipt) as number | undefined) ?? null;
  }

  close(): void {
    this.db.close();
  }
}

/** Why a body is not the API's error shape with this status, or null when it is. */
export function errorShapeProblem(status: number, json: any): string | null {
  if (!json || typeof json !== 'object') return 'body is not JSON';
  if (json.statusCode !== status) return `statusCode ${json.statusCode} is not the HTTP status ${status}`;
  if (typeof json.code !== 'string' || !/^[A-Z][A-Z_]+$/.test(json.code) || /^(FST|ERR)_/.test(json.code)) return `code ${JSON.stringify(json.code)} is not one of the API's stable codes`;
  if (typeof json.error !== 'string' || typeof json.message !== 'string') return 'error or message is missing';
  return null;
}

/** Resident set size of a process in bytes (Linux /proc), or 0 when it is gone. */
export { rssBytes } from '../../bench/lib/cli-process.js';
