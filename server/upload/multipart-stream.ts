/**
 * A lean streaming multipart/form-data reader for the upload hot path. The general-purpose
 * parser (busboy behind @fastify/multipart) made a stream, listeners and copies per part and
 * cost the mock about a third of its CPU per upload; this one scans each incoming chunk with
 * Buffer.indexOf for the delimiter and hands part bytes straight to the caller's handler
 * (hashing, counting), never holding a page in memory nor copying it: between chunks only a
 * possible split delimiter (under 80 bytes) is kept.
 *
 * The caller decides per part (from its headers) how to take its bytes; a handler may throw
 * (an ApiError) to stop reading at once.
 */
import type { IncomingMessage } from 'node:http';
import { ApiError } from '../errors.js';

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

export function boundaryOf(contentType: string | undefined): string | null {
  if (!contentType || !/^multipart\/form-data\b/i.test(contentType)) return null;
  const m = /boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : null;
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

/**
 * Reads the whole body of `raw`, calling `onPart` for each part. Resolves after the closing
 * delimiter, rejects with the first error (thrown by a handler, or malformed framing). Every
 * raw chunk is passed to `onBytes` first (for a body-size limit). With `idleMs` > 0, a body
 * that sends no byte for that long is refused (BODY_TIMEOUT, and the connection is closed).
 */
export function readMultipart(
  raw: IncomingMessage,
  boundary: string,
  onPart: (h: PartHeaders) => PartHandler,
  onBytes: (n: number) => void,
  idleMs = 0,
): Promise<void> {
  const delim = Buffer.from(`\r\n--${boundary}`);
  // The body starts with "--boundary": a virtual CRLF in front makes every delimiter look alike.
  let buf: Buffer = CRLF;
  let state: 'preamble' | 'after-delim' | 'headers' | 'body' | 'done' = 'preamble';
  let part: PartHandler | null = null;

  return new Promise<void>((resolve, reject) => {
    const idle = idleMs > 0
      ? setTimeout(() => stop(new ApiError('BODY_TIMEOUT', `no byte of the upload body for ${idleMs} ms`, { connection: 'close' })), idleMs)
      : null;
    const stop = (e: unknown): void => {
      if (idle) clearTimeout(idle);
      raw.off('data', onData);
      raw.off('end', onEnd);
      raw.off('error', stop);
      raw.off('aborted', onAborted);
      reject(e);
    };
    const onAborted = (): void => stop(new ApiError('MALFORMED_MULTIPART', 'the client closed the request before the body ended'));

    const step = (): void => {
      for (;;) {
        if (state === 'preamble' || state === 'body') {
          const idx = buf.indexOf(delim);
          if (idx < 0) {
            // Keep what could be the start of a delimiter split across chunks.
            const safe = buf.length - (delim.length - 1);
            if (safe > 0) {
              if (state === 'body') part!.data(buf.subarray(0, safe));
              buf = buf.subarray(safe);
            }
            return;
          }
          if (state === 'body') {
            if (idx > 0) part!.data(buf.subarray(0, idx));
            part!.end();
            part = null;
          }
          buf = buf.subarray(idx + delim.length);
          state = 'after-delim';
        } else if (state === 'after-delim') {
          if (buf.length < 2) return;
          if (buf[0] === 0x2d && buf[1] === 0x2d) {
            state = 'done';
            return;
          }
          const eol = buf.indexOf(CRLF);
          if (eol < 0) {
            if (buf.length > 256) throw new ApiError('MALFORMED_MULTIPART', 'garbage after a multipart delimiter');
            return;
          }
          buf = buf.subarray(eol + 2);
          state = 'headers';
        } else if (state === 'headers') {
          const end = buf.indexOf(HEADER_END);
          const blank = buf.length >= 2 && buf[0] === 0x0d && buf[1] === 0x0a; // part without headers
          if (end < 0 && !blank) {
            if (buf.length > MAX_HEADER_BYTES) throw new ApiError('MALFORMED_MULTIPART', 'part headers over 8 KB');
            return;
          }
          const headerBytes = blank ? 0 : end;
          const h = parseHeaders(buf.subarray(0, headerBytes).toString('latin1'));
          buf = buf.subarray(blank ? 2 : end + HEADER_END.length);
          part = onPart(h);
          state = 'body';
        } else {
          return; // done: the epilogue is ignored
        }
      }
    };

    const onData = (chunk: Buffer): void => {
      idle?.refresh();
      try {
        onBytes(chunk.length);
        if (state === 'done') return;
        if ((state === 'body' || state === 'preamble') && buf.length < delim.length && chunk.length >= delim.length) {
          // Between chunks only a possible split delimiter is kept (under delim.length bytes):
          // look for it across the seam in a small probe instead of copying the chunk onto it.
          if (buf.length > 0) {
            const idx = Buffer.concat([buf, chunk.subarray(0, delim.length - 1)]).indexOf(delim);
            if (idx >= 0 && idx < buf.length) {
              if (state === 'body') {
                if (idx > 0) part!.data(buf.subarray(0, idx));
                part!.end();
                part = null;
              }
              buf = chunk.subarray(idx + delim.length - buf.length);
              state = 'after-delim';
              step();
              return;
            }
            if (state === 'body') part!.data(buf);
          }
          buf = chunk;
        } else {
          buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
        }
        step();
      } catch (e) {
        stop(e);
      }
    };
    const onEnd = (): void => {
      if (idle) clearTimeout(idle);
      raw.off('data', onData);
      raw.off('error', stop);
      raw.off('aborted', onAborted);
      if (state === 'done') resolve();
      else if (state === 'preamble' && buf.length <= CRLF.length) reject(new ApiError('MISSING_DATA', 'empty multipart body'));
      else reject(new ApiError('MALFORMED_MULTIPART', 'multipart body ended without its closing delimiter'));
    };
    raw.on('data', onData);
    raw.once('end', onEnd);
    raw.once('error', stop);
    raw.once('aborted', onAborted);
  });
}
