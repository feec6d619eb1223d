/**
 * Errors Node's HTTP parser raises before a request reaches Fastify (a request that timed out,
 * headers over the size limit, bytes that are not HTTP) answered in the API's error shape with
 * a stable code, then the connection closed (lingering: server/early-answer.ts): 408 REQUEST_TIMEOUT, 431 HEADERS_TOO_LARGE,
 * 400 BAD_REQUEST. Nothing is written when the socket is gone or an answer already started.
 * Likewise the router's own refusals (a URL that does not decode, a path segment over the
 * router's length limit): 400 BAD_URL, 414 URI_TOO_LONG, instead of Fastify's FST_ codes.
 */
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_DRAIN, drainAfterEarlyAnswer, lingerClose } from './early-answer.js';
import { errorBody } from './errors.js';
import { drainBounds } from './options.js';

function classify(code: string | undefined): { status: number; code: string; message: string } {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, code: 'REQUEST_TIMEOUT', message: 'the request did not arrive in time (headers or body too slow)' };
  if (code === 'HPE_HEADER_OVERFLOW') return { status: 431, code: 'HEADERS_TOO_LARGE', message: 'request line and headers are over the size limit' };
  return { status: 400, code: 'BAD_REQUEST', message: 'malformed HTTP request' };
}

export function clientErrorHandler(this: FastifyInstance, err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const c = classify(err.code);
  this.log.debug({ code: err.code, status: c.status }, 'client error');
  const started = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
  if (socket.writable && !started) {
    const body = JSON.stringify(errorBody(c.status, c.code, c.message));
    socket.write(
      `HTTP/1.1 ${c.status} ${errorBody(c.status, c.code, '').error}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  // Close after the answer, reading what the client still sends for a bounded time (a close
  // with unread bytes resets the connection and the client may lose the answer).
  lingerClose(socket, this.ctx ? drainBounds(this.ctx.options) : DEFAULT_DRAIN);
}

/** Fastify's `frameworkErrors`: errors its router raises before a route runs. */
export function frameworkErrors(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  drainAfterEarlyAnswer(request, reply, reply.server.ctx ? drainBounds(reply.server.ctx.options) : DEFAULT_DRAIN);
  const [status, code, message] = err.code === 'FST_ERR_MAX_PARAM_LENGTH'
    ? [414, 'URI_TOO_LONG', 'a path segment is over the length limit']
    : err.code === 'FST_ERR_BAD_URL' ? [400, 'BAD_URL', 'the URL does not decode (bad percent-encoding)'] : [400, 'BAD_REQUEST', 'request refused by the router'];
  void reply.code(status).send(errorBody(status, code, message));
}
