/**
 * An incremental HTTP/1.1 response parser for the raw keep-alive client (raw-pool.ts): one
 * per socket, reused for every response on it. It reads the status line and the few headers
 * the engine needs (Content-Length, Transfer-Encoding, Connection, Retry-After), then the
 * body framed by length, by chunks or by the end of the connection, and hands body bytes to
 * its sink without copying. A response may be split across any read boundary; bytes that
 * break the grammar end the parse with `error` set (a stable code, the socket is then
 * unusable). It never throws.
 */
import { parseRetryAfter } from './result.js';

/** Receives one response at a time (the socket's current attempt). */
export interface ParserSink {
  /** The final (non-1xx) status line and headers have been read. */
  onHead(status: number, retryAfterS: number): void;
  /** Body bytes buf[start, end): only valid during the call (the read buffer is reused). */
  onBody(buf: Buffer, start: number, end: number): void;
}

/** execute() results besides "complete at offset n" (n >= 0). */
export const NEED_MORE = -1;
export const FAILED = -2;

/** Code of every grammar error: the response is not HTTP/1.x as we can frame it. */
export const PROTOCOL_ERROR = 'HPE_INVALID';

const MAX_HEAD_BYTES = 64 * 1024;
const MAX_CHUNK_SIZE = 2 ** 48;

// States.
const S_HEAD = 0;
const S_BODY_LEN = 1;
const S_BODY_EOF = 2;
const S_CHUNK_SIZE = 3;
const S_CHUNK_EXT = 4;
const S_CHUNK_SIZE_LF = 5;
const S_CHUNK_DATA = 6;
const S_CHUNK_DATA_CR = 7;
const S_CHUNK_DATA_LF = 8;
const S_TRAILER_START = 9;
const S_TRAILER_LINE = 10;
const S_TRAILER_END_LF = 11;

const CR = 13;
const LF = 10;
const HEAD_END = Buffer.from('\r\n\r\n', 'latin1');
const HTTP1 = Buffer.from('HTTP/1.', 'latin1');

/** Case-insensitive compare of s[at, at + lit.length) with a lowercase literal (letters and '-'). */
function eqLower(s: string, at: number, lit: string): boolean {
  for (let i = 0; i < lit.length; i++) {
    if ((s.charCodeAt(at + i) | 0x20) !== lit.charCodeAt(i)) return false;
  }
  return true;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}

/** Does a comma-separated header value hold `token` (lowercase)? */
function hasToken(v: string, token: string): boolean {
  const parts = v.toLowerCase().split(',');
  for (const p of parts) if (p.trim() === token) return true;
  return false;
}

export class ResponseParser {
  /** Set when execute() returned FAILED. */
  error = '';
  /** After a complete response: may the socket carry another request? */
  keepAlive = true;
  /** Bytes of the current response seen so far (0: nothing arrived yet). */
  received = 0;

  private state = S_HEAD;
  private noBody = false;
  /** A head split across reads: its bytes so far (copied: the read buffer is reused). */
  private partial: Buffer | null = null;
  private remaining = 0;
  private chunkDigits = 0;
  /** Set by parseHead() for a response that ends with its head. */
  private done = false;

  constructor(private readonly sink: ParserSink) {}

  /** Ready for the response to a new request; HEAD responses have no body. */
  reset(isHead: boolean): void {
    this.state = S_HEAD;
    this.noBody = isHead;
    this.partial = null;
    this.keepAlive = true;
    this.error = '';
    this.received = 0;
  }

  /** Hands up to `remaining` body bytes from buf[p, end) to the sink; returns the new offset. */
  private takeBody(buf: Buffer, p: number, end: number): number {
    const n = Math.min(this.remaining, end - p);
    this.sink.onBody(buf, p, p + n);
    this.remaining -= n;
    return p + n;
  }

  /**
   * Parses buf[start, end). Returns the offset just past the response when it completed in
   * this range, NEED_MORE, or FAILED (see `error`).
   */
  execute(buf: Buffer, start: number, end: number): number {
    this.received += end - start;
    let p = start;
    while (p < end) {
      switch (this.state) {
        case S_HEAD: {
          const r = this.head(buf, p, end);
          if (r < 0) return r;
          p = r;
          // A complete response without a body (204, 304, HEAD, Content-Length: 0); after a
          // skipped 1xx the state stays S_HEAD without `done` and the final head follows.
          if (this.done) { this.done = false; return p; }
          break;
        }
        case S_BODY_LEN:
          p = this.takeBody(buf, p, end);
          if (this.remaining === 0) { this.state = S_HEAD; return p; }
          break;
        case S_BODY_EOF:
          this.sink.onBody(buf, p, end);
          return NEED_MORE;
        case S_CHUNK_SIZE: {
          const c = buf[p++];
          const h = hexValue(c);
          if (h >= 0) {
            this.remaining = this.remaining * 16 + h;
            this.chunkDigits++;
            if (this.remaining > MAX_CHUNK_SIZE) return this.fail();
          } else if (this.chunkDigits === 0) {
            return this.fail();
          } else if (c === CR) {
            this.state = S_CHUNK_SIZE_LF;
          } else if (c === LF) {
            this.afterChunkSize();
          } else if (c === 0x3b /* ; */ || c === 0x20 || c === 0x09) {
            this.state = S_CHUNK_EXT;
          } else {
            return this.fail();
          }
          break;
        }
        case S_CHUNK_EXT: {
          const i = buf.indexOf(LF, p);
          if (i < 0 || i >= end) return NEED_MORE;
          p = i + 1;
          this.afterChunkSize();
          break;
        }
        case S_CHUNK_SIZE_LF:
          if (buf[p++] !== LF) return this.fail();
          this.afterChunkSize();
          break;
        case S_CHUNK_DATA:
          p = this.takeBody(buf, p, end);
          if (this.remaining === 0) this.state = S_CHUNK_DATA_CR;
          break;
        case S_CHUNK_DATA_CR:
          if (buf[p++] !== CR) return this.fail();
          this.state = S_CHUNK_DATA_LF;
          break;
        case S_CHUNK_DATA_LF:
          if (buf[p++] !== LF) return this.fail();
          this.state = S_CHUNK_SIZE;
          this.remaining = 0;
          this.chunkDigits = 0;
          break;
        case S_TRAILER_START: {
          const c = buf[p++];
          if (c === CR) this.state = S_TRAILER_END_LF;
          else if (c === LF) { this.state = S_HEAD; return p; } else this.state = S_TRAILER_LINE;
          break;
        }
        case S_TRAILER_LINE: {
          const i = buf.indexOf(LF, p);
          if (i < 0 || i >= end) return NEED_MORE;
          p = i + 1;
          this.state = S_TRAILER_START;
          break;
        }
        case S_TRAILER_END_LF:
          if (buf[p++] !== LF) return this.fail();
          this.state = S_HEAD;
          return p;
        default:
          return this.fail();
      }
    }
    return NEED_MORE;
  }

  /**
   * The peer closed the connection. Returns true when that ends the response (a body read
   * until close); false when the response was cut short or never began (see `received`).
   */
  eof(): boolean {
    if (this.state === S_BODY_EOF) { this.state = S_HEAD; this.keepAlive = false; return true; }
    return false;
  }

  private fail(): number {
    this.error = PROTOCOL_ERROR;
    this.partial = null;
    return FAILED;
  }

  /** After the line end of a chunk-size line: data, or the trailers after the last (0) chunk. */
  private afterChunkSize(): void {
    this.state = this.remaining === 0 ? S_TRAILER_START : S_CHUNK_DATA;
  }

  /** Reads the head from buf[p, end); returns the offset after it, NEED_MORE or FAILED. */
  private head(buf: Buffer, p: number, end: number): number {
    let b = buf;
    let from = p;
    let stop = end;
    let search = p;
    if (this.partial !== null) {
      const prev = this.partial;
      b = Buffer.concat([prev, buf.subarray(p, end)]);
      from = 0;
      stop = b.length;
      search = Math.max(0, prev.length - 3);
    }
    // Fail fast on bytes that cannot start "HTTP/1.": garbage must not wait for 64 KB.
    const seen = Math.min(stop - from, HTTP1.length);
    for (let i = 0; i < seen; i++) if (b[from + i] !== HTTP1[i]) return this.fail();
    const at = b.indexOf(HEAD_END, search);
    if (at < 0 || at + 4 > stop) {
      if (stop - from > MAX_HEAD_BYTES) return this.fail();
      this.partial = Buffer.from(b.subarray(from, stop));
      return NEED_MORE;
    }
    this.partial = null;
    if (!this.parseHead(b.toString('latin1', from, at + 2))) return this.fail();
    // Offset in the caller's buf just past the head.
    return b === buf ? at + 4 : end - (stop - (at + 4));
  }

  /** s: status line and header lines, each ending in CRLF. Sets the body state. */
  private parseHead(s: string): boolean {
    // "HTTP/1.x DDD ..." (the prefix was checked).
    if (s.length < 12) return false;
    const minor = s.charCodeAt(7);
    if ((minor !== 48 && minor !== 49) || s.charCodeAt(8) !== 32) return false;
    let status = 0;
    for (let i = 9; i < 12; i++) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return false;
      status = status * 10 + d;
    }
    const c12 = s.charCodeAt(12);
    if (c12 !== 32 && c12 !== CR) return false;
    if (status < 100) return false;
    let keepAlive = minor === 49;
    let contentLength = -1;
    let chunked = false;
    let teOther = false;
    let retryAfterS = -1;
    let line = s.indexOf('\r\n', 12) + 2;
    while (line < s.length) {
      const eol = s.indexOf('\r\n', line);
      if (eol < 0) return false;
      const colon = s.indexOf(':', line);
      if (colon <= line || colon > eol) return false;
      const n = colon - line;
      if (n === 14 && eqLower(s, line, 'content-length')) {
        const v = s.slice(colon + 1, eol).trim();
        if (!/^\d{1,15}$/.test(v)) return false;
        const cl = Number(v);
        if (contentLength >= 0 && contentLength !== cl) return false;
        contentLength = cl;
      } else if (n === 17 && eqLower(s, line, 'transfer-encoding')) {
        const v = s.slice(colon + 1, eol);
        const parts = v.toLowerCase().split(',');
        // Chunked only when it is the last coding; any other coding: read until close.
        chunked = parts[parts.length - 1].trim() === 'chunked';
        teOther = !chunked;
      } else if (n === 10 && eqLower(s, line, 'connection')) {
        let vs = colon + 1;
        while (s.charCodeAt(vs) === 32 || s.charCodeAt(vs) === 9) vs++;
        // The usual single tokens without allocating; lists the slow way.
        if (eol - vs === 10 && eqLower(s, vs, 'keep-alive')) keepAlive = true;
        else if (eol - vs === 5 && eqLower(s, vs, 'close')) keepAlive = false;
        else {
          const v = s.slice(vs, eol);
          if (hasToken(v, 'close')) keepAlive = false;
          else if (hasToken(v, 'keep-alive')) keepAlive = true;
        }
      } else if (n === 11 && eqLower(s, line, 'retry-after')) {
        retryAfterS = parseRetryAfter(s.slice(colon + 1, eol));
      }
      line = eol + 2;
    }
    if (status < 200) {
      // 100 Continue, 103 Early Hints...: skip, the final response follows. 101 we never ask for.
      if (status === 101) return false;
      this.state = S_HEAD;
      return true;
    }
    this.sink.onHead(status, retryAfterS);
    this.keepAlive = keepAlive;
    if (this.noBody || status === 204 || status === 304) {
      this.state = S_HEAD;
      this.done = true;
    } else if (chunked || teOther) {
      if (contentLength >= 0) this.keepAlive = false; // both: Transfer-Encoding wins, then close
      if (chunked) { this.state = S_CHUNK_SIZE; this.remaining = 0; this.chunkDigits = 0; } else { this.state = S_BODY_EOF; this.keepAlive = false; }
    } else if (contentLength > 0) {
      this.state = S_BODY_LEN;
      this.remaining = contentLength;
    } else if (contentLength === 0) {
      this.state = S_HEAD;
      this.done = true;
    } else {
      this.state = S_BODY_EOF;
      this.keepAlive = false;
    }
    return true;
  }
}
