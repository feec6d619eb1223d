/**
 * multipart/form-data for a C1 upload, as an array of Buffers that undici writes one after
 * the other: the per-part header chunks are built once per process, the `data` part is the
 * form's JSON, and each photo is the PhotoPool's own Buffer passed by reference (a 300 kB
 * photo is never copied per upload). Content-Length is the sum, so no chunked encoding.
 */
import { randomBytes } from 'node:crypto';

export interface MultipartBody {
  chunks: Buffer[];
  contentLength: number;
  contentType: string;
}

/** One boundary per process: 24 random hex digits cannot occur in JSON and is vanishingly unlikely in a JPEG. */
const BOUNDARY = `ujibeban-${randomBytes(12).toString('hex')}`;
const CONTENT_TYPE = `multipart/form-data; boundary=${BOUNDARY}`;
const DATA_HEAD = Buffer.from(
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="data"\r\nContent-Type: application/json\r\n\r\n`);
const CRLF = Buffer.from('\r\n');
const CLOSE = Buffer.from(`--${BOUNDARY}--\r\n`);
const pageHeads: Buffer[] = [];

function pageHead(i: number): Buffer {
  let h = pageHeads[i];
  if (!h) {
    // Each page part is preceded by CRLF closing the previous part's content.
    h = Buffer.from(`\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="page"; filename="page-${i + 1}.jpg"\r\n` +
      'Content-Type: image/jpeg\r\n\r\n');
    pageHeads[i] = h;
  }
  return h;
}

export function multipartBoundary(): string {
  return BOUNDARY;
}

/** The body of an upload: part `data` (JSON) then one `page` part per photo. */
export function buildUploadBody(dataJson: string, pages: readonly Buffer[]): MultipartBody {
  const data = Buffer.from(dataJson, 'utf8');
  const chunks: Buffer[] = [DATA_HEAD, data];
  let len = DATA_HEAD.length + data.length;
  for (let i = 0; i < pages.length; i++) {
    const head = pageHead(i);
    chunks.push(head, pages[i]);
    len += head.length + pages[i].length;
  }
  chunks.push(CRLF, CLOSE);
  len += CRLF.length + CLOSE.length;
  return { chunks, contentLength: len, contentType: CONTENT_TYPE };
}
