/**
 * Reads an upload's multipart body as it streams: the `data` part as text, each `page` part
 * checked for JPEG framing (FF D8 FF ... FF D9), hashed (sha256 as it arrives; for large bodies
 * on the hashing thread: hasher.ts) and counted chunk by chunk, never buffered whole (with
 * keepPhotos, bytes also go to a file). A body that is not multipart, or declares more than
 * the body limit, is refused before it is read; the limits are enforced again while reading,
 * so an oversized page or body is refused without being held in memory.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyRequest } from 'fastify';
import { JPEG_END, JPEG_START } from '../../src/domain/index.js';
import { ApiError } from '../errors.js';
import type { ServerLimits } from '../options.js';
import type { PhotoInfo } from '../store/uploads.js';
import { PageHasher } from './hasher.js';
import { boundaryOf, readMultipart, type PartHandler, type PartHeaders } from './multipart-stream.js';

export interface UploadParts {
  data: string;
  pages: PhotoInfo[];
}

const MAX_DATA_BYTES = 1024 * 1024;

export async function readParts(
  request: FastifyRequest, limits: ServerLimits, keepPhotos: string | null, bodyIdleMs = 0, hashThreadAbove: number | null = null,
): Promise<UploadParts> {
  // The request's own checks first, before a byte of the body is read.
  const boundary = boundaryOf(request.headers['content-type']);
  if (!boundary) throw new ApiError('NOT_MULTIPART', 'body must be multipart/form-data (with a boundary) with parts "data" and "page"');
  const declared = Number(request.headers['content-length'] ?? NaN);
  if (declared > limits.maxBodyBytes) throw new ApiError('BODY_TOO_LARGE', `body of ${declared} bytes is over ${limits.maxBodyBytes}`);
  // Large bodies hash on the hashing thread from their first byte, the rest inline (hasher.ts).
  const onThread = hashThreadAbove !== null && declared > hashThreadAbove;
  let data: string | null = null;
  // Inline hashing gives each page's digest at once; the hashing thread gives a promise.
  const pages: Array<PhotoInfo | Promise<PhotoInfo>> = [];
  const files: Array<Promise<void>> = [];
  const hashers: PageHasher[] = [];
  let total = 0;

  const onPart = (h: PartHeaders): PartHandler => {
    if (h.name === 'data') {
      if (data !== null) throw new ApiError('MALFORMED_MULTIPART', 'more than one "data" part');
      const chunks: Buffer[] = [];
      let size = 0;
      return {
        data(chunk) {
          size += chunk.length;
          if (size > MAX_DATA_BYTES) throw new ApiError('INVALID_JSON', 'part "data" is over 1 MB');
          chunks.push(Buffer.from(chunk));
        },
        end() {
          data = (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString('utf8');
        },
      };
    }
    if (h.name === 'page') {
      if (pages.length >= limits.maxPages) throw new ApiError('TOO_MANY_PAGES', `at most ${limits.maxPages} pages per upload`);
      const hasher = new PageHasher(onThread);
      hashers.push(hasher);
      return pageHandler(pages.length + 1, limits, keepPhotos, hasher, (p, file) => {
        pages.push(p);
        if (file) files.push(file);
      });
    }
    throw new ApiError('MALFORMED_MULTIPART', `unexpected part "${h.name}": send "data" and "page" parts`);
  };

  try {
    await readMultipart(request.raw, boundary, onPart, (n) => {
      total += n;
      if (total > limits.maxBodyBytes) throw new ApiError('BODY_TOO_LARGE', `body over ${limits.maxBodyBytes} bytes`);
    }, bodyIdleMs);
  } catch (e) {
    // A page cut off half way holds hashing state: drop it (a finished one has already let go).
    for (const h of hashers) h.abort();
    // Settle what was started, so no rejection goes unhandled.
    void Promise.allSettled([...pages, ...files]);
    throw e;
  }
  const photos = pages.some((p) => p instanceof Promise) ? await Promise.all(pages) : (pages as PhotoInfo[]);
  if (files.length > 0) await Promise.all(files);
  if (data === null) throw new ApiError('MISSING_DATA', 'multipart part "data" (JSON: administrasi, chart) is required');
  return { data, pages: photos };
}

function pageHandler(
  n: number, limits: ServerLimits, keepPhotos: string | null, hash: PageHasher,
  done: (p: PhotoInfo | Promise<PhotoInfo>, file: Promise<void> | null) => void,
): PartHandler {
  let bytes = 0;
  // The page's first three bytes and last two, wherever the chunks split them, shifted into
  // integers (not Buffers: two small ArrayBuffers per page were garbage for the GC's helper threads).
  let head = 0;
  let tail = 0;
  const tmp = keepPhotos ? join(keepPhotos, `.page-${randomBytes(8).toString('hex')}`) : null;
  let out: WriteStream | null = null;
  return {
    data(chunk) {
      for (let i = 0; i < chunk.length && bytes + i < 3; i++) head = (head << 8) | chunk[i];
      if (bytes < 3 && bytes + chunk.length >= 3 && head !== JPEG_START) {
        throw new ApiError('NOT_JPEG', `page ${n} is not a JPEG (it must start with FF D8 FF)`);
      }
      bytes += chunk.length;
      if (bytes > limits.maxPageBytes) throw new ApiError('PAGE_TOO_LARGE', `page ${n} is over ${limits.maxPageBytes} bytes`);
      for (let i = Math.max(0, chunk.length - 2); i < chunk.length; i++) tail = ((tail << 8) | chunk[i]) & 0xffff;
      hash.update(chunk);
      if (tmp) {
        out ??= createWriteStream(tmp);
        out.write(Buffer.from(chunk)); // bounded by maxBodyBytes per request
      }
    },
    end() {
      if (bytes < 4) throw new ApiError('NOT_JPEG', `page ${n} is not a JPEG (${bytes} bytes)`);
      if (tail !== JPEG_END) throw new ApiError('NOT_JPEG', `page ${n} is a truncated JPEG (no FF D9 at the end)`);
      const sha256 = hash.digest();
      let file: Promise<void> | null = null;
      if (out && tmp && keepPhotos) {
        const stream = out;
        file = new Promise<void>((resolve, reject) => stream.end((e?: Error | null) => (e ? reject(e) : resolve())))
          .then(async () => rename(tmp, join(keepPhotos, `${await sha256}.jpg`)))
          .catch(async (e) => {
            await unlink(tmp).catch(() => {});
            throw e;
          });
      }
      done(typeof sha256 === 'string' ? { sha256, bytes } : sha256.then((hex) => ({ sha256: hex, bytes })), file);
    },
  };
}
