/**
 * The raw keep-alive client (loadgen/http/raw-pool.ts) against real servers on 127.0.0.1:
 * node:http for the well-formed cases, raw `net` servers for split, garbled, cut and
 * closed-under-us responses.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { nowUs } from '../../loadgen/clock.js';
import { RawPool } from '../../loadgen/http/raw-pool.js';
import { send } from '../../loadgen/http/send.js';
import { createTransport } from '../../loadgen/http/transport.js';
import { UndiciTransport } from '../../loadgen/http/undici-transport.js';
import { Pool } from 'undici';
import type { RequestSpec } from '../../loadgen/http/types.js';

const get = (path: string, parse = false): RequestSpec => ({ method: 'GET', path, headers: {}, body: null, parse });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function listen(server: net.Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

const pools: RawPool[] = [];
function pool(url: string, connections = 4, connectTimeoutMs?: number): RawPool {
  const p = new RawPool(new URL(url), { connections, connectTimeoutMs });
  pools.push(p);
  return p;
}
afterEach(async () => { for (const p of pools.splice(0)) await p.destroy(); });

// ---------------------------------------------------------------- node:http target
let app: http.Server;
let url = '';
let connections = 0;
const seen: string[] = [];
const stalls = new Set<http.ServerResponse>();

beforeAll(async () => {
  app = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const u = new URL(req.url ?? '/', 'http://x');
    const json = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      const s = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(s), ...headers });
      res.end(s);
    };
    switch (u.pathname) {
      case '/json': json(200, { ok: true, n: Number(u.searchParams.get('n') ?? 0) }); return;
      case '/chunked':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"parts":[1');
        setTimeout(() => { res.write(',2'); res.end(',3]}'); }, 5);
        return;
      case '/close': res.writeHead(200, { connection: 'close', 'content-length': 2 }); res.end('{}'); return;
      case '/204': res.writeHead(204); res.end(); return;
      case '/head': res.writeHead(200, { 'content-length': 1234 }); res.end(req.method === 'HEAD' ? undefined : 'x'.repeat(1234)); return;
      case '/big': {
        const status = Number(u.searchParams.get('status') ?? 200);
        res.writeHead(status, { 'content-type': 'application/json' }); // chunked, 300 KB
        res.end(JSON.stringify({ code: 'BIG', pad: 'p'.repeat(300_000) }));
        return;
      }
      case '/busy': json(503, { code: 'OVERLOADED' }, { 'retry-after': '7' }); return;
      case '/busy-date': json(429, { code: 'SLOW' }, { 'retry-after': new Date(Date.now() + 30_000).toUTCString() }); return;
      case '/plain-error': res.writeHead(500, { 'content-length': 4 }); res.end('oops'); return;
      case '/stall': stalls.add(res); res.on('close', () => stalls.delete(res)); return;
      case '/echo': {
        let n = 0;
        req.on('data', (d: Buffer) => { n += d.length; });
        req.on('end', () => json(200, { bytes: n, length: Number(req.headers['content-length']), type: req.headers['content-type'] ?? null }));
        return;
      }
      case '/early': // answers before reading the upload, then closes
        res.writeHead(503, { connection: 'close', 'content-type': 'application/json', 'retry-after': '2' });
        res.end(JSON.stringify({ code: 'OVERLOADED' }));
        return;
      default: json(404, { code: 'NOT_FOUND' });
    }
  });
  app.on('connection', () => { connections++; });
  app.keepAliveTimeout = 5000;
  url = await listen(app);
});
afterAll(async () => {
  for (const r of stalls) r.destroy();
  app.closeAllConnections();
  await new Promise((r) => app.close(r));
});

describe('raw pool against node:http', () => {
  it('reads Content-Length JSON, keeps bodies only when asked or on errors', async () => {
    const p = pool(url);
    const a = await send(p, get('/json?n=5', true), 2000);
    expect(a).toMatchObject({ status: 200, code: '', retryAfterS: -1, body: { ok: true, n: 5 } });
    expect(a.writeUs).toBeGreaterThan(0);
    expect(a.endUs).toBeGreaterThanOrEqual(a.writeUs);
    expect((await send(p, get('/json?n=6'), 2000)).body).toBeNull();
    expect(await send(p, get('/nope'), 2000)).toMatchObject({ status: 404, code: 'NOT_FOUND', body: { code: 'NOT_FOUND' } });
    expect(await send(p, get('/plain-error'), 2000)).toMatchObject({ status: 500, code: 'HTTP_500', body: null });
  });

  it('reads a chunked body sent in several writes', async () => {
    const r = await send(pool(url), get('/chunked', true), 2000);
    expect(r).toMatchObject({ status: 200, body: { parts: [1, 2, 3] } });
  });

  it('keeps one socket alive for sequential requests (204s), and opens sockets lazily', async () => {
    const p = pool(url, 8);
    const before = connections;
    for (let i = 0; i < 50; i++) expect((await send(p, get('/204'), 2000)).status).toBe(204);
    expect(connections - before).toBe(1);
    expect(p.sockets).toBe(1);
  });

  it('never opens more than N sockets and serves a burst in FIFO order', async () => {
    const p = pool(url, 3);
    const before = connections;
    seen.length = 0;
    const rs = await Promise.all(Array.from({ length: 40 }, (_, i) => send(p, get(`/json?n=${i}`, true), 5000)));
    expect(rs.map((r) => (r.body as { n: number }).n)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(connections - before).toBe(3);
    expect(p.sockets).toBe(3);
    // Three sockets: request i is sent after requests < i - 2 were answered.
    const order = seen.map((s) => Number(s.split('n=')[1]));
    for (let i = 0; i < order.length; i++) expect(Math.abs(order[i] - i)).toBeLessThan(3);
  });

  it('replaces a socket the server closes with Connection: close', async () => {
    const p = pool(url, 1);
    const before = connections;
    expect(await send(p, get('/close', true), 2000)).toMatchObject({ status: 200, body: {} });
    expect(await send(p, get('/close'), 2000)).toMatchObject({ status: 200 });
    expect(await send(p, get('/204'), 2000)).toMatchObject({ status: 204 });
    expect(connections - before).toBe(3);
  });

  it('reads no body for HEAD and keeps the socket usable', async () => {
    const p = pool(url, 1);
    const before = connections;
    expect(await send(p, { ...get('/head'), method: 'HEAD' }, 2000)).toMatchObject({ status: 200, code: '' });
    expect(await send(p, get('/json?n=1', true), 2000)).toMatchObject({ status: 200, body: { n: 1 } });
    expect(connections - before).toBe(1);
  });

  it('drops bodies over 256 KB but keeps the framing (next request on the same socket works)', async () => {
    const p = pool(url, 1);
    const before = connections;
    expect(await send(p, get('/big', true), 5000)).toMatchObject({ status: 200, code: '', body: null });
    expect(await send(p, get('/big?status=500'), 5000)).toMatchObject({ status: 500, code: 'HTTP_500', body: null });
    expect(await send(p, get('/json?n=2', true), 2000)).toMatchObject({ status: 200, body: { n: 2 } });
    expect(connections - before).toBe(1);
  });

  it('reads Retry-After in seconds and as an HTTP-date', async () => {
    const p = pool(url);
    expect(await send(p, get('/busy'), 2000)).toMatchObject({ status: 503, code: 'OVERLOADED', retryAfterS: 7 });
    const d = await send(p, get('/busy-date'), 2000);
    expect(d.code).toBe('SLOW');
    expect(d.retryAfterS).toBeGreaterThan(25);
    expect(d.retryAfterS).toBeLessThanOrEqual(30);
  });

  it('sends string, Buffer and Buffer[] bodies with the right Content-Length', async () => {
    const p = pool(url, 2);
    const s = await send(p, { method: 'POST', path: '/echo', headers: { 'content-type': 'application/json' }, body: '{"é":1}', parse: true }, 2000);
    expect(s.body).toEqual({ bytes: 8, length: 8, type: 'application/json' });
    const b = await send(p, { method: 'PUT', path: '/echo', headers: {}, body: Buffer.alloc(70_000, 1), parse: true }, 2000);
    expect(b.body).toMatchObject({ bytes: 70_000, length: 70_000 });
    const parts = [Buffer.from('--b\r\n'), Buffer.alloc(500_000, 2), Buffer.alloc(0), Buffer.from('\r\n--b--\r\n')];
    const total = parts.reduce((a, c) => a + c.length, 0);
    const m = await send(p, { method: 'PUT', path: '/echo', headers: { 'content-length': String(total), 'content-type': 'multipart/form-data; boundary=b' }, body: parts, parse: true }, 5000);
    expect(m.body).toEqual({ bytes: total, length: total, type: 'multipart/form-data; boundary=b' });
    const e = await send(p, { method: 'POST', path: '/echo', headers: {}, body: null, parse: true }, 2000);
    expect(e.body).toMatchObject({ bytes: 0, length: 0 });
  });

  it('takes an early 503 while the upload is still being written, then carries on on a fresh socket', async () => {
    const p = pool(url, 1);
    const body = [Buffer.alloc(4 << 20, 3), Buffer.alloc(4 << 20, 4)];
    const r = await send(p, { method: 'PUT', path: '/early', headers: {}, body, parse: false }, 5000);
    // The answer usually arrives before the reset; when the reset wins, a transport code.
    if (r.status === 503) expect(r).toMatchObject({ code: 'OVERLOADED', retryAfterS: 2 });
    else expect(r.code).toMatch(/^(ECONNRESET|EPIPE)$/);
    expect(await send(p, get('/json?n=3', true), 2000)).toMatchObject({ status: 200, body: { n: 3 } });
  });

  it('times out in the queue without sending, and in flight by destroying the socket', async () => {
    const p = pool(url, 1);
    seen.length = 0;
    const t0 = nowUs();
    const stalled = send(p, get('/stall?a'), 300);
    const queued = send(p, get('/json?n=9'), 100);
    const q = await queued;
    expect(q).toMatchObject({ status: 0, code: 'ETIMEDOUT', writeUs: 0 });
    expect((q.endUs - t0) / 1000).toBeGreaterThanOrEqual(95);
    expect((q.endUs - t0) / 1000).toBeLessThan(290);
    const s = await stalled;
    expect(s).toMatchObject({ status: 0, code: 'ETIMEDOUT' });
    expect(s.writeUs).toBeGreaterThan(0);
    expect((s.endUs - t0) / 1000).toBeGreaterThanOrEqual(295);
    await sleep(50);
    expect(stalls.size).toBe(0); // the server saw that socket close
    expect(seen).toEqual(['GET /stall?a']); // the queued one was never sent
    expect(await send(p, get('/json?n=4', true), 2000)).toMatchObject({ status: 200, body: { n: 4 } });
  });

  it('reuses a socket the server closed while idle without failing the next request', async () => {
    const short = http.createServer((_req, res) => { res.writeHead(204); res.end(); });
    short.keepAliveTimeout = 50;
    const u = await listen(short);
    try {
      const p = pool(u, 1);
      expect((await send(p, get('/'), 2000)).status).toBe(204);
      await sleep(1300); // the server closed it meanwhile (node adds ~1 s to keepAliveTimeout)
      expect(p.sockets).toBe(0);
      expect((await send(p, get('/'), 2000)).status).toBe(204);
    } finally {
      short.closeAllConnections();
      await new Promise((r) => short.close(r));
    }
  });

  it('fails with ECONNREFUSED when nothing listens', async () => {
    const s = net.createServer();
    const u = await listen(s);
    await new Promise((r) => s.close(r));
    const p = pool(u, 2);
    const rs = await Promise.all([send(p, get('/'), 2000), send(p, get('/'), 2000), send(p, get('/'), 2000)]);
    for (const r of rs) expect(r).toMatchObject({ status: 0, code: 'ECONNREFUSED', writeUs: 0 });
  });

  it('close() waits for in-flight requests; destroy() cuts them with ECONNABORTED', async () => {
    const p = pool(url, 2);
    const slow = send(p, get('/chunked', true), 2000);
    await sleep(1);
    await p.close();
    expect((await slow).status).toBe(200);
    expect(p.sockets).toBe(0);
    expect((await send(p, get('/204'), 2000)).code).toBe('ECONNABORTED');

    const q = pool(url, 1);
    const a = send(q, get('/stall?b'), 5000);
    const b = send(q, get('/204'), 5000);
    await sleep(50);
    await q.destroy();
    expect(await a).toMatchObject({ status: 0, code: 'ECONNABORTED' });
    expect(await b).toMatchObject({ status: 0, code: 'ECONNABORTED', writeUs: 0 });
  });

  it('gives the same results through the undici path (https:// targets, injected dispatchers)', async () => {
    const pool = new Pool(url, { connections: 2 });
    const u = new UndiciTransport(pool, true);
    const r = new RawPool(new URL(url), { connections: 2 });
    try {
      for (const spec of [get('/json?n=8', true), get('/busy'), get('/plain-error'), get('/big?status=500'), get('/chunked', true)]) {
        const a = await send(u, spec, 5000);
        const b = await send(r, spec, 5000);
        expect({ ...a, writeUs: 0, endUs: 0 }, spec.path).toEqual({ ...b, writeUs: 0, endUs: 0 });
      }
    } finally {
      await u.destroy();
      await r.destroy();
    }
    expect(pool.destroyed).toBe(true);
  });

  it('is what createTransport returns for http:// targets', () => {
    const t = createTransport(url, { connections: 1 });
    expect(t).toBeInstanceOf(RawPool);
    void t.destroy();
  });
});

// ---------------------------------------------------------------- raw net targets
/** A server that answers each request (one per read of a request head) with `reply(n, socket)`. */
async function rawServer(reply: (n: number, s: net.Socket) => void): Promise<{ url: string; conns: () => number; requests: () => number; stop: () => Promise<void> }> {
  let conns = 0;
  let requests = 0;
  const sockets = new Set<net.Socket>();
  const srv = net.createServer((s) => {
    conns++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    let buf = '';
    s.on('data', (d) => {
      buf += d.toString('latin1');
      let i: number;
      while ((i = buf.indexOf('\r\n\r\n')) >= 0) {
        buf = buf.slice(i + 4);
        reply(requests++, s);
      }
    });
  });
  const u = await listen(srv);
  return {
    url: u, conns: () => conns, requests: () => requests,
    stop: async () => { for (const s of sockets) s.destroy(); await new Promise((r) => srv.close(r)); },
  };
}

describe('raw pool against raw sockets', () => {
  it('reads a response written in many small pieces, split anywhere', async () => {
    const resp = Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{"a"\r\n3\r\n:[1\r\n2\r\n]}\r\n0\r\n\r\n');
    const srv = await rawServer((n, s) => {
      // Request n: pieces of (n % 7) + 1 bytes, each its own write with a pause between.
      const step = (n % 7) + 1;
      let at = 0;
      const next = (): void => {
        if (at >= resp.length) return;
        s.write(resp.subarray(at, at + step));
        at += step;
        setTimeout(next, 0);
      };
      next();
    });
    try {
      const p = pool(srv.url, 1);
      for (let i = 0; i < 7; i++) expect(await send(p, get('/', true), 5000)).toMatchObject({ status: 200, body: { a: [1] } });
      expect(srv.conns()).toBe(1);
    } finally { await srv.stop(); }
  });

  it('reads many chunks arriving in one read', async () => {
    const chunks = Array.from({ length: 200 }, (_, i) => `${(i % 10).toString(16)}\r\n${'z'.repeat(i % 10)}\r\n`).join('');
    const srv = await rawServer((_n, s) => { s.write(`HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n${chunks}0\r\n\r\n`); });
    try {
      const r = await send(pool(srv.url, 1), get('/'), 2000);
      expect(r).toMatchObject({ status: 400, code: 'HTTP_400', body: null }); // not JSON, so no body
    } finally { await srv.stop(); }
  });

  it('fails a garbled response with HPE_INVALID and recovers on a fresh socket', async () => {
    const srv = await rawServer((n, s) => {
      if (n === 0) s.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}');
      else if (n === 1) s.write('SMTP ready\r\n\r\n');
      else s.write('HTTP/1.1 204 No Content\r\n\r\n');
    });
    try {
      const p = pool(srv.url, 1);
      expect((await send(p, get('/'), 2000)).status).toBe(200);
      expect(await send(p, get('/'), 2000)).toMatchObject({ status: 0, code: 'HPE_INVALID' });
      expect((await send(p, get('/'), 2000)).status).toBe(204);
      expect(srv.conns()).toBe(2);
    } finally { await srv.stop(); }
  });

  it('fails with ECONNRESET when the server dies mid-response (Content-Length and chunked)', async () => {
    const srv = await rawServer((n, s) => {
      if (n === 0) s.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten..');
      else if (n === 1) { s.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab'); setTimeout(() => s.resetAndDestroy(), 10); } else s.write('HTTP/1.1 204 No Content\r\n\r\n');
    });
    try {
      const p = pool(srv.url, 1);
      expect(await send(p, get('/'), 2000)).toMatchObject({ status: 0, code: 'ECONNRESET' });
      expect(await send(p, get('/'), 2000)).toMatchObject({ status: 0, code: 'ECONNRESET' });
      expect((await send(p, get('/'), 2000)).status).toBe(204);
    } finally { await srv.stop(); }
  });

  it('completes a body read until close', async () => {
    const srv = await rawServer((_n, s) => { s.write('HTTP/1.1 500 Internal\r\nContent-Type: application/json\r\n\r\n{"code":'); setTimeout(() => s.end('"EOF_BODY"}'), 10); });
    try {
      expect(await send(pool(srv.url, 1), get('/'), 2000)).toMatchObject({ status: 500, code: 'EOF_BODY', body: { code: 'EOF_BODY' } });
    } finally { await srv.stop(); }
  });

  it('retries once on a fresh socket when a reused socket closes before any response byte', async () => {
    // Answers the first request on each socket, then closes the socket on the next one unanswered.
    const perSocket = new WeakMap<net.Socket, number>();
    const srv = await rawServer((_n, s) => {
      const k = perSocket.get(s) ?? 0;
      perSocket.set(s, k + 1);
      if (k === 0) s.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
      else s.destroy();
    });
    try {
      const p = pool(srv.url, 1);
      expect((await send(p, get('/'), 2000)).status).toBe(200);
      // Sent on the reused socket, closed unanswered, re-sent on a fresh one: 200.
      expect((await send(p, { method: 'POST', path: '/', headers: {}, body: '{}', parse: false }, 2000)).status).toBe(200);
      expect(srv.conns()).toBe(2);
      expect(srv.requests()).toBe(3);
    } finally { await srv.stop(); }
  });

  it('does not retry on a fresh socket that closes unanswered', async () => {
    const srv = await rawServer((_n, s) => { s.destroy(); });
    try {
      const r = await send(pool(srv.url, 1), get('/'), 2000);
      expect(r.status).toBe(0);
      expect(r.code).toMatch(/^(ECONNRESET|EPIPE)$/);
      expect(srv.requests()).toBe(1);
    } finally { await srv.stop(); }
  });
});
