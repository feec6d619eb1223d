/**
 * Writes one request to a socket for the raw client (raw-pool.ts): the request line and
 * headers as one string, with Host and Content-Length added unless the spec carries them,
 * then the body. Buffers (multipart photo pages) are handed to the socket as they are,
 * under cork, so they leave in one writev without being copied.
 */
import type { Socket } from 'node:net';
import type { RequestSpec } from './types.js';

/** Byte length of a body. */
export function bodyLength(body: RequestSpec['body']): number {
  if (body === null) return 0;
  if (typeof body === 'string') return Buffer.byteLength(body);
  if (Buffer.isBuffer(body)) return body.length;
  let n = 0;
  for (let i = 0; i < body.length; i++) n += body[i].length;
  return n;
}

/** Request line and headers, ending with the blank line. `host` is the Host header value. */
export function requestHead(spec: RequestSpec, host: string): string {
  let h = spec.method + ' ' + spec.path + ' HTTP/1.1\r\n';
  let hasHost = false;
  let hasLength = false;
  const headers = spec.headers;
  for (const k in headers) {
    const n = k.length;
    if (n === 4 && k.toLowerCase() === 'host') hasHost = true;
    else if (n === 14 && k.toLowerCase() === 'content-length') hasLength = true;
    h += k + ': ' + headers[k] + '\r\n';
  }
  if (!hasHost) h += 'host: ' + host + '\r\n';
  const body = spec.body;
  // A POST/PUT/PATCH without a body still says so (as undici does); GET/HEAD/DELETE say nothing.
  if (!hasLength && (body !== null || spec.method === 'POST' || spec.method === 'PUT' || spec.method === 'PATCH')) {
    h += 'content-length: ' + bodyLength(body) + '\r\n';
  }
  return h + '\r\n';
}

/** Writes spec to the socket (one write for a request without a Buffer body). */
export function writeRequest(socket: Socket, spec: RequestSpec, host: string): void {
  const head = requestHead(spec, host);
  const body = spec.body;
  if (body === null) {
    socket.write(head, 'latin1');
  } else if (typeof body === 'string') {
    // The head is ASCII, so head + body in UTF-8 is the head's bytes followed by the body's.
    socket.write(head + body, 'utf8');
  } else {
    socket.cork();
    socket.write(head, 'latin1');
    if (Buffer.isBuffer(body)) {
      socket.write(body);
    } else {
      for (let i = 0; i < body.length; i++) if (body[i].length > 0) socket.write(body[i]);
    }
    socket.uncork();
  }
}
