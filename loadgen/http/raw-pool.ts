/**
 * The engine's HTTP/1.1 client for http:// targets: a pool of at most N keep-alive sockets
 * on raw `net`, lazily connected, TCP_NODELAY, one request per socket at a time (no
 * pipelining: a stalled response must not delay requests queued behind it). Requests wait
 * in a FIFO while every socket is busy. It exists because undici's per-request cost was the
 * engine's ceiling (P1: a bare undici dispatch loop tops at ~43k req/s on one core).
 *
 * Per attempt: one RawAttempt (state, timer target and parser sink in one object, methods on
 * the prototype), the promise we return, the request head string. Each socket reads into its
 * own reusable 16 KB buffer (`onread`), so responses allocate nothing unless their body is
 * kept (spec.parse or status >= 400, up to 256 KB, copied out of the read buffer).
 *
 * Timing: writeUs is taken when the request is written to a socket, endUs when the response
 * ended or the attempt failed. The attempt timeout runs from the call: while queued, the
 * attempt resolves ETIMEDOUT and is never sent; in flight, it resolves ETIMEDOUT and the
 * socket is destroyed (its response can no longer be framed).
 *
 * Failures: ECONNREFUSED (or any connect error) fails the oldest queued attempt; a socket
 * the server closes or resets mid-response fails its attempt with the socket's error code,
 * or ECONNRESET for a clean close; a full response that arrived before the close still
 * counts. A malformed response fails with HPE_INVALID. A request sent on a *reused* socket
 * that closes before a single response byte arrives is retried once on a fresh socket: the
 * server most likely closed that idle keep-alive socket as we wrote (undici does the same for
 * idempotent requests; we do it for POST/PUT too, which for a load tool against its own
 * target at worst repeats an upload the server never answered — the mock dedups uploads).
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { nowUs } from '../clock.js';
import { writeRequest } from './request-head.js';
import { FAILED, NEED_MORE, ResponseParser, type ParserSink } from './response-parser.js';
import { MAX_PARSE_BYTES, codeOf, parseKept, transportCode } from './result.js';
import type { Transport, TransportOptions } from './transport.js';
import type { HttpResult, RequestSpec } from './types.js';

/** Per-socket read buffer (reused by every read; 256 connections hold 4 MB). */
const READ_BYTES = 16 * 1024;
/** Code of attempts cut by destroy() or sent after close(). */
const ABORTED = 'ECONNABORTED';
/** Code of a response cut short by a clean close of the connection. */
const CLOSED = 'ECONNRESET';

/** One attempt: its result fields, its timer target and what the pool needs to route it. */
class RawAttempt {
  done = false;
  status = 0;
  retryAfterS = -1;
  writeUs = 0;
  chunks: Buffer[] | null = null;
  bytes = 0;
  /** performance.now() ms when the attempt times out (0: no timeout); list links by deadline. */
  deadline = 0;
  tPrev: RawAttempt | null = null;
  tNext: RawAttempt | null = null;
  /** The socket carrying it, while in flight. */
  conn: Conn | null = null;
  /** Already re-sent once after a reused socket closed under it. */
  retried = false;

  constructor(readonly spec: RequestSpec, private readonly resolve: (r: HttpResult) => void, private readonly timers: Deadlines) {}

  finish(st: number, code: string, body: unknown): void {
    if (this.done) return;
    this.done = true;
    this.conn = null;
    if (this.deadline !== 0) this.timers.remove(this);
    this.resolve({ status: st, code, retryAfterS: this.retryAfterS, body, writeUs: this.writeUs, endUs: nowUs() });
  }

  fail(code: string): void {
    this.finish(0, code, null);
  }

  /** The attempt timeout fired: resolve, and give up the socket if the request is on one. */
  timeout(): void {
    const c = this.conn;
    this.fail('ETIMEDOUT');
    if (c !== null) c.abandon();
  }

  head(status: number, retryAfterS: number): void {
    this.status = status;
    this.retryAfterS = retryAfterS;
    // Errors always carry a JSON `code` worth reading; successes only when asked.
    if (this.spec.parse || status >= 400) this.chunks = [];
  }

  body(buf: Buffer, start: number, end: number): void {
    if (this.chunks === null || end <= start) return;
    this.bytes += end - start;
    if (this.bytes > MAX_PARSE_BYTES) { this.chunks = null; return; }
    // Copied: the socket's read buffer is reused by the next read.
    const c = Buffer.allocUnsafe(end - start);
    buf.copy(c, 0, start, end);
    this.chunks.push(c);
  }

  complete(): void {
    const status = this.status;
    const body = parseKept(this.chunks);
    this.finish(status, codeOf(status, body), this.spec.parse ? body : (status >= 400 ? body : null));
  }
}

/**
 * Attempt timeouts without a Node timer per attempt: attempts in a list ordered by deadline
 * (appended at the tail: one run uses one timeout, so deadlines arrive in order) and one timer
 * armed for the earliest. Unref'd: a pending attempt always has a socket keeping the loop alive.
 */
class Deadlines {
  private head: RawAttempt | null = null;
  private tail: RawAttempt | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** Deadline the timer is armed for. */
  private armedAt = 0;

  add(a: RawAttempt, timeoutMs: number): void {
    const d = performance.now() + timeoutMs;
    a.deadline = d;
    let after = this.tail;
    while (after !== null && after.deadline > d) after = after.tPrev;
    a.tPrev = after;
    a.tNext = after === null ? this.head : after.tNext;
    if (a.tNext !== null) a.tNext.tPrev = a; else this.tail = a;
    if (after !== null) after.tNext = a; else this.head = a;
    if (this.timer === null || d < this.armedAt) this.arm(d);
  }

  remove(a: RawAttempt): void {
    if (a.tPrev !== null) a.tPrev.tNext = a.tNext; else this.head = a.tNext;
    if (a.tNext !== null) a.tNext.tPrev = a.tPrev; else this.tail = a.tPrev;
    a.tPrev = null;
    a.tNext = null;
    a.deadline = 0;
    // The timer stays armed (it re-arms or stops when it fires) unless nothing is left.
    if (this.head === null && this.timer !== null) { clearTimeout(this.timer); this.timer = null; }
  }

  /** Times out every attempt due, then arms for the next. */
  fire(): void {
    this.timer = null;
    const now = performance.now();
    let a = this.head;
    while (a !== null && a.deadline <= now) {
      a.timeout(); // finish() unlinks it
      a = this.head;
    }
    if (a !== null) this.arm(a.deadline);
  }

  private arm(d: number): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.armedAt = d;
    this.timer = setTimeout(onDeadline, Math.max(1, Math.ceil(d - performance.now())), this);
    this.timer.unref();
  }
}

function onDeadline(t: Deadlines): void {
  t.fire();
}

interface ConnSocket extends net.Socket {
  conn: Conn;
}

// Socket event handlers, shared by every socket (the Conn hangs off the socket).
function onSocketConnect(this: ConnSocket): void { this.conn.connected(); }
function onSocketRead(this: ConnSocket, n: number, buf: Buffer): void { this.conn.read(n, buf); }
function onSocketEnd(this: ConnSocket): void { this.conn.eof(); }
function onSocketError(this: ConnSocket, err: Error): void { this.conn.error(err); }
function onSocketClose(this: ConnSocket): void { this.conn.closed(); }
function onConnectTimeout(c: Conn): void { c.connectTimedOut(); }

/** One socket of the pool and the parser of its responses. */
class Conn implements ParserSink {
  readonly socket: ConnSocket;
  private readonly parser: ResponseParser;
  /** The attempt in flight on this socket. */
  private att: RawAttempt | null = null;
  ready = false;
  dead = false;
  /** Responses completed on this socket (> 0: the socket is being reused). */
  private served = 0;
  private errCode = '';
  private connectTimer: NodeJS.Timeout | null;

  constructor(private readonly pool: RawPool) {
    this.parser = new ResponseParser(this);
    const s = net.connect({
      host: pool.host, port: pool.port, noDelay: true,
      onread: { buffer: Buffer.allocUnsafe(READ_BYTES), callback: onSocketRead as never },
    }) as ConnSocket;
    s.conn = this;
    s.on('connect', onSocketConnect);
    s.on('end', onSocketEnd);
    s.on('error', onSocketError);
    s.on('close', onSocketClose);
    this.socket = s;
    this.connectTimer = setTimeout(onConnectTimeout, pool.connectTimeoutMs, this);
  }

  /** Writes `a` on this (free, connected) socket. */
  start(a: RawAttempt): void {
    this.att = a;
    a.conn = this;
    this.parser.reset(a.spec.method === 'HEAD');
    a.writeUs = nowUs();
    try {
      writeRequest(this.socket, a.spec, this.pool.hostHeader);
    } catch (err) {
      this.att = null;
      a.fail(transportCode(err as Error));
      this.kill();
    }
  }

  connected(): void {
    if (this.connectTimer !== null) { clearTimeout(this.connectTimer); this.connectTimer = null; }
    if (this.dead) return;
    this.ready = true;
    this.pool.free(this);
  }

  connectTimedOut(): void {
    this.connectTimer = null;
    if (this.ready || this.dead) return;
    this.errCode = 'ETIMEDOUT';
    this.socket.destroy();
  }

  // ParserSink
  onHead(status: number, retryAfterS: number): void {
    if (this.att !== null) this.att.head(status, retryAfterS);
  }

  onBody(buf: Buffer, start: number, end: number): void {
    if (this.att !== null) this.att.body(buf, start, end);
  }

  read(n: number, buf: Buffer): void {
    const a = this.att;
    if (a === null) {
      // Bytes nobody asked for (a late answer to an abandoned request, or garbage): the
      // socket's framing is lost.
      this.kill();
      return;
    }
    const r = this.parser.execute(buf, 0, n);
    if (r === NEED_MORE) return;
    this.att = null;
    if (r === FAILED) {
      a.fail(this.parser.error);
      this.kill();
      return;
    }
    this.served++;
    // Reusable only if the server keeps it open, nothing follows the response and the whole
    // request left (an early answer to an upload leaves the rest of the body unsent).
    const reuse = this.parser.keepAlive && r === n && this.socket.writableLength === 0;
    a.complete();
    if (reuse) this.pool.free(this);
    else this.kill();
  }

  eof(): void {
    const a = this.att;
    if (a !== null && this.parser.eof()) {
      this.att = null;
      this.served++;
      a.complete();
    }
    this.kill();
  }

  error(err: Error): void {
    if (this.errCode === '') this.errCode = transportCode(err);
  }

  closed(): void {
    if (this.connectTimer !== null) { clearTimeout(this.connectTimer); this.connectTimer = null; }
    const wasReady = this.ready;
    this.dead = true;
    this.pool.remove(this);
    const a = this.att;
    this.att = null;
    if (a !== null) this.lost(a, this.errCode !== '' ? this.errCode : CLOSED);
    else if (!wasReady) this.pool.connectFailed(this.errCode !== '' ? this.errCode : 'ECONNREFUSED');
    this.pool.grow();
  }

  /** The socket died under `a`: retry once if it was a reused socket that answered nothing. */
  private lost(a: RawAttempt, code: string): void {
    if (a.done) return;
    a.conn = null;
    if (this.served > 0 && this.parser.received === 0 && !a.retried && !this.pool.closed) {
      a.retried = true;
      a.writeUs = 0;
      this.pool.requeueFront(a);
    } else {
      a.fail(code);
    }
  }

  /** The attempt in flight timed out: its response can't be framed any more. */
  abandon(): void {
    this.att = null;
    this.kill();
  }

  /** Destroys the socket with its attempt failing `code` (run teardown). */
  abort(code: string): void {
    const a = this.att;
    this.att = null;
    if (a !== null) a.fail(code);
    this.kill();
  }

  kill(): void {
    if (this.dead) return;
    this.dead = true;
    this.pool.remove(this);
    this.socket.destroy();
  }
}

export class RawPool implements Transport {
  readonly host: string;
  readonly port: number;
  /** Host header value (host[:port] as in the URL). */
  readonly hostHeader: string;
  readonly connectTimeoutMs: number;
  closed = false;
  private readonly max: number;
  /** Live sockets: connecting, idle or busy. */
  private readonly conns: Conn[] = [];
  private readonly idle: Conn[] = [];
  private queue: (RawAttempt | undefined)[] = [];
  private qHead = 0;
  private onDrained: (() => void) | null = null;
  private readonly timers = new Deadlines();

  constructor(url: URL, o: TransportOptions) {
    this.host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    this.port = url.port === '' ? 80 : Number(url.port);
    this.hostHeader = url.host;
    this.max = Math.max(1, Math.floor(o.connections));
    this.connectTimeoutMs = o.connectTimeoutMs ?? 10_000;
  }

  send(spec: RequestSpec, timeoutMs: number): Promise<HttpResult> {
    return new Promise<HttpResult>((resolve) => {
      const a = new RawAttempt(spec, resolve, this.timers);
      if (this.closed || this.onDrained !== null) { a.fail(ABORTED); return; }
      if (timeoutMs > 0) this.timers.add(a, timeoutMs);
      const c = this.idle.pop();
      if (c !== undefined) { c.start(a); return; }
      this.queue.push(a);
      this.grow();
    });
  }

  /** Sockets open (connecting, idle or busy): for tests. */
  get sockets(): number { return this.conns.length; }

  /** Opens a socket if attempts wait and there is room (lazily, up to N). */
  grow(): void {
    if (this.closed) return;
    let connecting = 0;
    const waiting = this.queue.length - this.qHead;
    if (waiting === 0 || this.conns.length >= this.max) return;
    for (const c of this.conns) if (!c.ready) connecting++;
    if (waiting > connecting) this.conns.push(new Conn(this));
  }

  /** `c` is connected and free: give it the oldest waiting attempt, or park it. */
  free(c: Conn): void {
    const a = this.next();
    if (a !== undefined) { c.start(a); return; }
    this.idle.push(c);
    if (this.onDrained !== null && this.idle.length === this.conns.length) this.finishClose();
  }

  /** The oldest queued attempt that has not timed out. */
  private next(): RawAttempt | undefined {
    const q = this.queue;
    while (this.qHead < q.length) {
      const a = q[this.qHead];
      q[this.qHead++] = undefined;
      if (a !== undefined && !a.done) {
        if (this.qHead > 1024 && this.qHead * 2 > q.length) { this.queue = q.slice(this.qHead); this.qHead = 0; }
        return a;
      }
    }
    q.length = 0;
    this.qHead = 0;
    return undefined;
  }

  requeueFront(a: RawAttempt): void {
    if (this.qHead > 0) this.queue[--this.qHead] = a;
    else this.queue.unshift(a);
  }

  /** A connect failed: the oldest waiting attempt gets its code (the next one tries again). */
  connectFailed(code: string): void {
    if (this.closed) return;
    const a = this.next();
    if (a !== undefined) a.fail(code);
  }

  remove(c: Conn): void {
    const i = this.conns.indexOf(c);
    if (i >= 0) this.conns.splice(i, 1);
    const j = this.idle.indexOf(c);
    if (j >= 0) this.idle.splice(j, 1);
    if (this.onDrained !== null && this.idle.length === this.conns.length) this.finishClose();
  }

  /** Lets queued and in-flight attempts finish, then closes every socket. */
  close(): Promise<void> {
    if (this.onDrained !== null || (this.closed && this.conns.length === 0)) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.onDrained = resolve;
      if (this.idle.length === this.conns.length) this.finishClose();
    });
  }

  /** Fails everything queued and in flight (ECONNABORTED) and closes every socket now. */
  destroy(): Promise<void> {
    this.closed = true;
    for (let a = this.next(); a !== undefined; a = this.next()) a.fail(ABORTED);
    for (const c of [...this.conns]) c.abort(ABORTED);
    this.finishClose();
    return Promise.resolve();
  }

  /** Is any queued attempt still waiting (not timed out)? Skips the dead ones. */
  private waiting(): boolean {
    const q = this.queue;
    while (this.qHead < q.length) {
      const a = q[this.qHead];
      if (a !== undefined && !a.done) return true;
      q[this.qHead++] = undefined;
    }
    return false;
  }

  private finishClose(): void {
    if (this.waiting()) return;
    this.closed = true;
    for (const c of [...this.conns]) c.kill();
    const done = this.onDrained;
    this.onDrained = null;
    if (done !== null) done();
  }
}
