/**
 * Early answers while the client is still sending its body (issue 6): the mock refuses an upload
 * from its headers (503 OVERLOADED at the in-flight cap, 401 bad token, 413 declared body too
 * large) and, when the connection is to close, used to close it at once; the kernel then resets a
 * connection with unread bytes, and a client still writing saw ECONNRESET instead of the answer.
 * The server now reads and drops the rest of the body for a bounded time and byte count
 * (timeouts.drainMs, limits.drainBytes) before closing, so the client reads the 4xx/503; a
 * client that never stops sending is cut at the bound.
 *
 * The client here is a raw socket that writes its whole body (64 KB pieces, as fast as the
 * socket takes them, or `gapMs` apart) whatever comes back, and reads concurrently, as curl or a
 * naive client does. The server runs in a worker thread (startEmbeddedServer) so that it answers
 * while the client writes: in one thread the two would take turns and the race would not show.
 * Before the fix, the Connection: close cases lost the answer to EPIPE in most attempts, and the
 * endless sender on a keep-alive connection was read until requestMs (120 s).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { join } from 'node:path';
import { signToken } from '../../server/auth/token.js';
import { startEmbeddedServer, type EmbeddedServer } from '../../server/embedded.js';
import type { ServerOptions } from '../../server/app.js';
import { WORLD, removeDir, tempDir, tpsIn } from '../server/helpers.js';

const TOKEN_SECRET = 'test-token-secret';
const ATTEMPTS = 20;

interface Outcome {
  status: number;
  headers: Record<string, string>;
  json: any;
  /** Socket error seen by the client (ECONNRESET, EPIPE), if any. */
  error: string | null;
  bodyBytesSent: number;
  /** ms from connect to the socket's close. */
  closedAfterMs: number;
}

function parse(buf: Buffer): { status: number; headers: Record<string, string>; json: any } {
  const headEnd = buf.indexOf('\r\n\r\n');
  if (headEnd < 0) return { status: 0, headers: {}, json: undefined };
  const lines = buf.subarray(0, headEnd).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':');
    if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  const len = Number(headers['content-length'] ?? -1);
  let json: any;
  try {
    json = JSON.parse(buf.subarray(headEnd + 4, len >= 0 ? headEnd + 4 + len : undefined).toString('utf8'));
  } catch {
    json = undefined;
  }
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(lines[0])?.[1] ?? 0), headers, json };
}

/**
 * PUTs `bodyBytes` of multipart-looking bytes (Infinity: never stops) after `headers`, writing
 * whatever the server answers, until the server closes or `timeoutMs`.
 */
function upload(port: number, path: string, headers: Record<string, string>, bodyBytes: number, opts: { timeoutMs?: number; gapMs?: number; ignoreFin?: boolean } = {}): Promise<Outcome> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const boundary = '----early';
  const declared = Number.isFinite(bodyBytes) ? bodyBytes : 1024 ** 3;
  const head = Buffer.from(`PUT ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: multipart/form-data; boundary=${boundary}\r\n` +
    `content-length: ${headers['content-length'] ?? declared}\r\n${Object.entries(headers).filter(([k]) => k !== 'content-length').map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`, 'latin1');
  const piece = Buffer.alloc(64 * 1024, 0x61);
  piece.write(`--${boundary}\r\nContent-Disposition: form-data; name="page"; filename="p.jpg"\r\n\r\n`);
  const t0 = Date.now();
  return new Promise((resolve) => {
    // ignoreFin: keep writing after the server's FIN (a client that never stops sending).
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: opts.ignoreFin === true });
    let got = Buffer.alloc(0);
    let sent = 0;
    let error: string | null = null;
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    const pump = (): void => {
      while (!socket.destroyed && sent < bodyBytes) {
        const n = Math.min(piece.length, bodyBytes - sent);
        sent += n;
        const more = socket.write(n === piece.length ? piece : piece.subarray(0, n));
        if (opts.gapMs) {
          setTimeout(pump, opts.gapMs);
          return;
        }
        if (!more) {
          socket.once('drain', pump);
          return;
        }
      }
    };
    socket.on('connect', () => {
      socket.write(head);
      pump();
    });
    socket.on('data', (d: Buffer) => { got = Buffer.concat([got, d]); });
    socket.on('error', (e: NodeJS.ErrnoException) => { error ??= e.code ?? e.message; });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ ...parse(got), error, bodyBytesSent: sent, closedAfterMs: Date.now() - t0 });
    });
  });
}

/** `n` attempts, a few at a time. */
async function attempts(n: number, one: (i: number) => Promise<Outcome>): Promise<Outcome[]> {
  const out: Outcome[] = [];
  for (let i = 0; i < n; i += 4) out.push(...(await Promise.all([0, 1, 2, 3].filter((j) => i + j < n).map((j) => one(i + j)))));
  return out;
}

const summary = (os: Outcome[]): string => os.map((o) => `${o.status}${o.error ? `/${o.error}` : ''}`).join(' ');

async function start(opts: Partial<ServerOptions>, dir: string): Promise<{ srv: EmbeddedServer; port: number }> {
  const srv = await startEmbeddedServer({
    election: WORLD.election, regions: [...WORLD.regions], scale: WORLD.scale, seed: WORLD.seed,
    db: join(dir, `${Math.random().toString(16).slice(2)}.sqlite`), tokenSecret: TOKEN_SECRET, logger: false,
    limits: { maxBodyBytes: 2 * 1024 * 1024, drainBytes: 16 * 1024 * 1024 }, timeouts: { drainMs: 1500 }, ...opts,
  });
  return { srv, port: Number(new URL(srv.url).port) };
}

describe('early answers reach a client that is still sending', () => {
  const dir = tempDir();
  let capped: { srv: EmbeddedServer; port: number };
  let open: { srv: EmbeddedServer; port: number };
  const tps = tpsIn('6205');
  const path = `/api/v1/tps/${tps}/c1/pkwkp`;
  const token = signToken(TOKEN_SECRET, tps, Math.floor(Date.now() / 1000) + 3600);

  beforeAll(async () => {
    capped = await start({ faults: { maxInFlightUploads: 0, retryAfterS: 3 } }, dir);
    open = await start({}, dir);
  });
  afterAll(async () => {
    await capped?.srv.close();
    await open?.srv.close();
    removeDir(dir);
  });

  it(`503 OVERLOADED with Retry-After, Connection: close, 1 MB body, ${ATTEMPTS} times`, async () => {
    const os = await attempts(ATTEMPTS, () => upload(capped.port, path, { authorization: `Bearer ${token}`, connection: 'close' }, 1024 * 1024));
    expect(summary(os)).toBe(Array(ATTEMPTS).fill('503').join(' '));
    for (const o of os) {
      expect(o.headers['retry-after']).toBe('3');
      expect(o.json?.code).toBe('OVERLOADED');
    }
  });

  it(`401 INVALID_TOKEN, Connection: close, 1 MB body, ${ATTEMPTS} times`, async () => {
    const os = await attempts(ATTEMPTS, () => upload(open.port, path, { authorization: 'Bearer v1.nope', connection: 'close' }, 1024 * 1024));
    expect(summary(os)).toBe(Array(ATTEMPTS).fill('401').join(' '));
    for (const o of os) expect(o.json?.code).toBe('INVALID_TOKEN');
  });

  it(`413 BODY_TOO_LARGE (declared 6 MB over a 2 MB limit), Connection: close, ${ATTEMPTS} times`, async () => {
    const os = await attempts(ATTEMPTS, () => upload(open.port, path, { authorization: `Bearer ${token}`, connection: 'close' }, 6 * 1024 * 1024));
    expect(summary(os)).toBe(Array(ATTEMPTS).fill('413').join(' '));
    for (const o of os) expect(o.json?.code).toBe('BODY_TOO_LARGE');
  });

  it('413 for a body declared over the drain bound (24 MB > 16 MB): Connection: close, the answer still read', async () => {
    const os = await attempts(8, () => upload(open.port, path, { authorization: `Bearer ${token}` }, 24 * 1024 * 1024));
    for (const o of os) {
      // Past the byte bound the server closes while the client writes (a reset is then allowed), but after its answer.
      expect(o.status).toBe(413);
      expect(o.json?.code).toBe('BODY_TOO_LARGE');
      expect(o.headers.connection).toBe('close');
    }
  });

  it('503 on keep-alive: the body is drained and the connection stays usable', async () => {
    const os = await attempts(8, () => upload(capped.port, path, { authorization: `Bearer ${token}` }, 1024 * 1024, { timeoutMs: 3_000 }));
    // Kept alive: the server does not close; our timeout does, after the whole body went out.
    for (const o of os) {
      expect(o.status).toBe(503);
      expect(o.error).toBeNull();
      expect(o.bodyBytesSent).toBe(1024 * 1024);
      expect(o.headers.connection).toBe('keep-alive');
    }
  });

  it('a client that never stops sending gets its answer, then is cut at the drain bound', async () => {
    for (const connection of ['keep-alive', 'close']) {
      // 64 KB every 5 ms (~13 MB/s): over 1 GB would take well over a minute.
      const o = await upload(capped.port, path, { authorization: `Bearer ${token}`, connection }, Infinity, { timeoutMs: 20_000, gapMs: 5, ignoreFin: true });
      expect(o.status, connection).toBe(503);
      // Cut at drainMs (1.5 s) or drainBytes (16 MB, ~1.2 s at this pace), whichever comes
      // first: drained for a while (not cut at once), and well before our 20 s.
      expect(o.closedAfterMs, connection).toBeGreaterThanOrEqual(500);
      expect(o.closedAfterMs, connection).toBeLessThan(5_000);
    }
  });
});
