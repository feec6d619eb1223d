/**
 * A lean streaming multipart/form-data reader for the upload hot path. The general-purpose
 * parser (busboy behind @fastify/multipart) made a stream, listeners and copies per part and
 * cost the mock about a third of its CPU per upload; this one scans each incoming chunk with
 * Buffer.indexOf for the delimiter and hands part bytes straight to the caller's handler
 * (hashing, counting), never holding a page in memory nor copying it: between chunks only a
 * possible split delimiter (under 80 bytes) is kept.
 *
 * MultipartReader is the framing alone (chunks in, parts out, no I/O); readMultipart feeds it
 * a request's body. The caller decides per part (from its headers) how to take its bytes; a
 * handler may throw (an ApiError) to stop reading at once.
 */
import type { IncomingMessage } from 'node:http';
import { ApiError } from '../errors.js';
import { watchIdle } from './idle-watch.js';

export interface PartHeaders {
  name: string;
  filename: string | null;
  contentType: string | null;
}

export interface PartHandler {
  /** Bytes of the part, in order (views into the request chunks: copy to keep). */
  data(chunk: Buffer): void;
  end(): void;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
const MAX_HEADER_BYTES = 8 * 1024;

// Where the reader is in the body.
const PREAMBLE = 0;
const AFTER_DELIM = 1;
const HEADERS = 2;
const BODY = 3;
const DONE = 4;

/**
 * The boundary of a multipart/form-data content type, or null. A client sends the same content
 * type with every upload, so the last one is remembered: the regular expressions run when it
 * changes, not per upload.
 */
let lastType: string | undefined;
let lastBoundary: string | null = null;
export function boundaryOf(contentType: string | undefined): string | null {
  if (contentType === lastType) return lastBoundary;
  let boundary: string | null = null;
  if (contentType && /^multipart\/form-data\b/i.test(contentType)) {
    const m = /boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
    boundary = m ? (m[1] ?? m[2]) : null;
  }
  lastType = contentType;
  lastBoundary = boundary;
  return boundary;
}

/** "\r\n--boundary", the same Buffer for the same boundary as the last body (never written to). */
let lastDelimBoundary = '';
let lastDelim = Buffer.from('\r\n--');
function delimiterOf(boundary: string): Buffer {
  if (boundary !== lastDelimBoundary) {
    lastDelim = Buffer.from(`\r\n--${boundary}`);
    lastDelimBoundary = boundary;
  }
  return lastDelim;
}

function parseHeaders(text: string): PartHeaders {
  let name: string | null = null;
  let filename: string | null = null;
  let contentType: string | null = null;
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'content-disposition') {
      name = /\bname="([^"]*)"/i.exec(value)?.[1] ?? null;
      filename = /\bfilename="([^"]*)"/i.exec(value)?.[1] ?? null;
    } else if (key === 'content-type') {
      contentType = value;
    }
  }
  if (name === null) throw new ApiError('MALFORMED_MULTIPART', 'a part has no Content-Disposition name');
  return { name, filename, contentType };
}

/** The framing of one multipart body, fed chunk by chunk; calls `onPart` and the part handlers as parts appear. */
export class MultipartReader {
  private readonly delim: Buffer;
  // The body starts with "--boundary": a virtual CRLF in front makes every delimiter look alike.
  private buf: Buffer = CRLF;
  private state = PREAMBLE;
  private part: PartHandler | null = null;

  constructor(boundary: string, private readonly onPart: (h: PartHeaders) => PartHandler) {
    this.delim = delimiterOf(boundary);
  }

  /** The closing delimiter has been read (what follows is ignored). */
  get done(): boolean {
    return this.state === DONE;
  }

  /** The next chunk of the body. Throws on malformed framing or when a handler throws. */
  push(chunk: Buffer): void {
    const { delim } = this;
    if (this.state === DONE) return;
    if ((this.state === BODY || this.state === PREAMBLE) && this.buf.length < delim.length && chunk.length >= delim.length) {
      // Between chunks only a possible split delimiter is kept (under delim.length bytes):
      // look for it across the seam in a small probe instead of copying the chunk onto it.
      if (this.buf.length > 0) {
        const held = this.buf;
        const idx = Buffer.concat([held, chunk.subarray(0, delim.length - 1)]).indexOf(delim);
        if (idx >= 0 && idx < held.length) {
          if (idx > 0) this.part?.data(held.subarray(0, idx));
          this.endPart();
          this.buf = chunk.subarray(idx + delim.length - held.length);
          this.state = AFTER_DELIM;
          this.step();
          return;
        }
        this.part?.data(held);
      }
      this.buf = chunk;
    } else {
      this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    }
    this.step();
  }

  /** Why the body may not end here, or null when it may (after the closing delimiter). */
  endError(): ApiError | null {
    if (this.state === DONE) return null;
    if (this.state === PREAMBLE && this.buf.length <= CRLF.length) return new ApiError('MISSING_DATA', 'empty multipart body');
    return new ApiError('MALFORMED_MULTIPART', 'multipart body ended without its closing delimiter');
  }

  /** The part in the preamble is null: its bytes go nowhere. */
  private endPart(): void {
    if (this.part) {
      const p = this.part;
      this.part = null;
      p.end();
    }
  }

  private step(): void {
    const { delim } = this;
    for (;;) {
      const buf = this.buf;
      if (this.state === PREAMBLE || this.state === BODY) {
        const idx = buf.indexOf(delim);
        if (idx < 0) {
          // Keep what could be the start of a delimiter split across chunks.
          const safe = buf.length - (delim.length - 1);
          if (safe > 0) {
            this.part?.data(buf.subarray(0, safe));
            this.buf = buf.subarray(safe);
          }
          return;
        }
        if (idx > 0) this.part?.data(buf.subarray(0, idx));
        this.endPart();
        this.buf = buf.subarray(idx + delim.length);
        this.state = AFTER_DELIM;
      } else if (this.state === AFTER_DELIM) {
        if (buf.length < 2) return;
        if (buf[0] === 0x2d && buf[1] === 0x2d) {
          this.state = DONE;
          return;
        }
        const eol = buf.indexOf(CRLF);
        if (eol < 0) {
          if (buf.length > 256) throw new ApiError('MALFORMED_MULTIPART', 'garbage after a multipart delimiter');
          return;
        }
        this.buf = buf.subarray(eol + 2);
        this.state = HEADERS;
      } else if (this.state === HEADERS) {
        const blank = buf.length >= 2 && buf[0] === 0x0d && buf[1] === 0x0a; // part without headers
        const end = blank ? 0 : buf.indexOf(HEADER_END);
        if (end < 0) {
          if (buf.length > MAX_HEADER_BYTES) throw new ApiError('MALFORMED_MULTIPART', 'part headers over 8 KB');
          return;
        }
        const h = parseHeaders(buf.toString('latin1', 0, end));
        this.buf = buf.subarray(blank ? 2 : end + HEADER_END.length);
        this.part = this.onPart(h);
        this.state = BODY;
      } else {
        return; // done: the epilogue is ignored
      }
    }
  }
}

/**
 * Reads the whole body of `raw`, calling `onPart` for each part. Resolves after the closing
 * delimiter, rejects with the first error (thrown by a handler, or malformed framing). Every
 * raw chunk is passed to `onBytes` first (for a body-size limit). With `idleMs` > 0, a body
 * that sends no byte for that long is refused (BODY_TIMEOUT, and the connection is closed).
 * After it settles the listeners stay, doing nothing: a refused body is drained by the error
 * handler, and removing four listeners per upload is work for nothing.
 */
export function readMultipart(
  raw: IncomingMessage,
  boundary: string,
  onPart: (h: PartHeaders) => PartHandler,
  onBytes: (n: number) => void,
  idleMs = 0,
): Promise<void> {
  const reader = new MultipartReader(boundary, onPart);
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const settle = (e: unknown): void => {
      if (settled) return;
      settled = true;
      idle?.stop();
      if (e === null) resolve();
      else reject(e);
    };
    const idle = idleMs > 0
      ? watchIdle(idleMs, () => settle(new ApiError('BODY_TIMEOUT', `no byte of the upload body for ${idleMs} ms`, { connection: 'close' })))
      : null;
    raw.on('data', (chunk: Buffer) => {
      if (settled) return;
      if (idle) idle.bytes += chunk.length;
      try {
        onBytes(chunk.length);
        reader.push(chunk);
      } catch (e) {
        settle(e);
      }
    });
    raw.on('end', () => settle(reader.endError()));
    raw.on('error', settle);
    raw.on('aborted', () => settle(new ApiError('MALFORMED_MULTIPART', 'the client closed the request before the body ended')));
  });
}
