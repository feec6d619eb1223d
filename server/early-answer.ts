/**
 * Early answers: the server refuses a request (503 OVERLOADED, 401, 413, 4xx) before the client
 * has finished sending its body. Closing the connection at once then loses the answer: the
 * kernel resets a connection closed with unread bytes, and a client still writing gets EPIPE or
 * ECONNRESET before it reads the refusal. So after an early answer the server reads and drops
 * the rest of the body, within bounds (ServerTimeouts.drainMs, ServerLimits.drainBytes):
 * - a body whose declared length fits the byte bound is drained and the connection kept alive
 *   (the client may reuse it; if either side asked to close, it closes once the body is in);
 *   one still incomplete after drainMs has its connection cut;
 * - a larger or chunked body is answered with Connection: close, and the close lingers: the
 *   server sends its FIN after the answer, then discards what still arrives until the client
 *   closes its side, drainMs pass or drainBytes arrive, and only then closes the socket.
 * Node closes a Connection: close exchange with socket.destroySoon(); on an early answer that
 * call is turned into the lingering close, whichever side asked for the close.
 */
import { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface DrainBounds {
  /** How long to keep reading after the answer (ms); 0 closes at once. */
  ms: number;
  /** How many more bytes to read and drop before closing anyway. */
  bytes: number;
}

export const DEFAULT_DRAIN: DrainBounds = { ms: 2000, bytes: 8 * 1024 * 1024 };

const LINGERING = Symbol('ujibeban.lingering');
type LingerSocket = Socket & { [LINGERING]?: true };

/**
 * Ends our side of `socket` (FIN after what is already written), then reads and drops what the
 * client still sends; destroys the socket when the client closes its side or a bound is hit.
 * Idempotent.
 */
export function lingerClose(socket: Socket, bounds: DrainBounds): void {
  const s = socket as LingerSocket;
  if (s[LINGERING] || socket.destroyed) return;
  s[LINGERING] = true;
  if (bounds.ms <= 0) {
    Socket.prototype.destroySoon.call(socket); // Node's own: close once the answer is written
    return;
  }
  let seen = 0;
  const cut = (): void => {
    socket.destroy();
  };
  const timer = setTimeout(cut, bounds.ms);
  socket.on('data', (d: Buffer) => {
    seen += d.length;
    if (seen > bounds.bytes) cut();
  });
  socket.once('end', cut);
  socket.once('close', () => clearTimeout(timer));
  socket.end();
  socket.resume();
}

/**
 * Call when an answer is decided while the request body may still be arriving (from the error
 * handler): arranges the bounded drain described above. Nothing to do when the body is in.
 */
export function drainAfterEarlyAnswer(request: FastifyRequest, reply: FastifyReply, bounds: DrainBounds): void {
  const raw = request.raw;
  const socket = raw.socket as LingerSocket | null;
  if (raw.complete || !socket || socket.destroyed || socket[LINGERING]) return;
  const declared = request.headers['content-length'] === undefined ? NaN : Number(request.headers['content-length']);
  const fits = bounds.ms > 0 && declared <= bounds.bytes;
  // Whoever asks for the close (our Connection: close, or the client's), it lingers; a body
  // within the byte bound is read to its end before our FIN (some clients stop writing with an
  // error when they see the FIN), a larger one only up to the bounds.
  socket.destroySoon = function destroySoon(this: Socket) {
    if (fits && !raw.complete) raw.once('end', () => lingerClose(this, bounds));
    else lingerClose(this, bounds);
  };
  raw.unpipe();
  raw.resume();
  if (!fits) {
    reply.header('connection', 'close');
    return;
  }
  // Keep-alive: the rest of a body within the byte bound is read (and dropped) by Node; a body
  // still incomplete after drainMs (a client trickling or stalled) has its connection cut.
  const timer = setTimeout(() => {
    if (!raw.complete) socket.destroy();
  }, bounds.ms);
  const done = (): void => clearTimeout(timer);
  raw.once('end', done);
  raw.once('close', done);
}
