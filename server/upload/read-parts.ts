/**
 * Reads an upload's multipart body as it streams: the `data` part as text, each `page` part
 * checked for JPEG framing, hashed (sha256) and counted chunk by chunk, never buffered whole
 * (unless keepPhotos asks for the bytes on disk). Limits are enforced while reading, so an
 * oversized page or body is refused without being held in memory.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyRequest } from 'fastify';
import { isJpeg } from '../../src/domain/index.js';
import { ApiError } from '../errors.js';
import type { ServerLimits } from '../options.js';
import type { PhotoInfo } from '../store/uploads.js';

export interface UploadParts {
  /** The `data` part: text, or already parsed when the part said Content-Type: application/json. */
  data: string | { parsed: unknown };
  pages: PhotoInfo[];
}

/** Multipart errors raised by @fastify/multipart / busboy, mapped to our codes. */
function mapMultipartError(e: unknown, limits: ServerLimits): never {
  if (e instanceof ApiError) throw e;
  const code = (e as { code?: string }).code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') throw new ApiError('PAGE_TOO_LARGE', `a page is over ${limits.maxPageBytes} bytes`);
  if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT') throw new ApiError('TOO_MANY_PAGES', `at most ${limits.maxPages} pages per upload`);
  if (code === 'FST_INVALID_JSON_FIELD_ERROR') throw new ApiError('INVALID_JSON', 'part "data" (Content-Type: application/json) is not valid JSON');
  if (code === 'FST_FIELDS_LIMIT') throw new ApiError('MALFORMED_MULTIPART', 'too many fields: send one "data" part and "page" parts');
  throw new ApiError('MALFORMED_MULTIPART', `multipart body could not be read: ${(e as Error).message}`);
}

export async function readParts(request: FastifyRequest, limits: ServerLimits, keepPhotos: string | null): Promise<UploadParts> {
  let data: UploadParts['data'] | null = null;
  const pages: PhotoInfo[] = [];
  let total = 0;
  const addBytes = (n: number): void => {
    total += n;
    if (total > limits.maxBodyBytes) throw new ApiError('BODY_TOO_LARGE', `body over ${limits.maxBodyBytes} bytes`);
  };
  try {
    const parts = request.parts({
      limits: { fileSize: limits.maxPageBytes, files: limits.maxPages + 1, fields: 4, parts: limits.maxPages + 5, fieldSize: 1024 * 1024 },
    });
    for await (const part of parts) {
      if (part.fieldname === 'data') {
        if (data !== null) throw new ApiError('MALFORMED_MULTIPART', 'more than one "data" part');
        if (part.type === 'field') {
          if (part.valueTruncated) throw new ApiError('INVALID_JSON', 'part "data" is over 1 MB');
          data = typeof part.value === 'string' ? part.value : { parsed: part.value };
        } else {
          data = (await part.toBuffer()).toString('utf8');
        }
        if (typeof data === 'string') addBytes(Buffer.byteLength(data));
      } else if (part.fieldname === 'page' && part.type === 'file') {
        if (pages.length >= limits.maxPages) throw new ApiError('TOO_MANY_PAGES', `at most ${limits.maxPages} pages per upload`);
        pages.push(await readPage(part.file, pages.length + 1, limits, keepPhotos, addBytes));
      } else {
        throw new ApiError('MALFORMED_MULTIPART', `unexpected part "${part.fieldname}": send "data" and "page" parts`);
      }
    }
  } catch (e) {
    mapMultipartError(e, limits);
  }
  if (data === null) throw new ApiError('MISSING_DATA', 'multipart part "data" (JSON: administrasi, chart) is required');
  return { data, pages };
}

type FileStream = NodeJS.ReadableStream & { truncated?: boolean };

async function readPage(file: FileStream, n: number, limits: ServerLimits, keepPhotos: string | null, addBytes: (n: number) => void): Promise<PhotoInfo> {
  const hash = createHash('sha256');
  let bytes = 0;
  let head: Buffer | null = Buffer.alloc(0) as Buffer;
  let tail: Buffer = Buffer.alloc(0);
  const tmp = keepPhotos ? join(keepPhotos, `.page-${randomBytes(8).toString('hex')}`) : null;
  const out = tmp ? createWriteStream(tmp) : null;
  try {
    for await (const chunk of file as AsyncIterable<Buffer>) {
      if (head !== null) {
        head = Buffer.concat([head, chunk]);
        if (head.length >= 3) {
          if (!isJpeg(head)) throw new ApiError('NOT_JPEG', `page ${n} is not a JPEG (it must start with FF D8 FF)`);
          head = null;
        }
      }
      hash.update(chunk);
      bytes += chunk.length;
      addBytes(chunk.length);
      tail = chunk.length >= 2 ? chunk.subarray(chunk.length - 2) : Buffer.concat([tail, chunk]).subarray(-2);
      if (out && !out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    if (file.truncated) throw new ApiError('PAGE_TOO_LARGE', `page ${n} is over ${limits.maxPageBytes} bytes`);
    if (bytes < 4 || head !== null) throw new ApiError('NOT_JPEG', `page ${n} is not a JPEG (${bytes} bytes)`);
    if (!(tail[0] === 0xff && tail[1] === 0xd9)) throw new ApiError('NOT_JPEG', `page ${n} is a truncated JPEG (no FF D9 at the end)`);
    const sha256 = hash.digest('hex');
    if (out && tmp && keepPhotos) {
      await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
      await rename(tmp, join(keepPhotos, `${sha256}.jpg`));
    }
    return { sha256, bytes };
  } catch (e) {
    if (out && tmp) {
      out.destroy();
      await unlink(tmp).catch(() => {});
    }
    throw e;
  }
}
