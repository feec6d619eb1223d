/**
 * One undici Pool per target: keep-alive HTTP/1.1 connections, no pipelining (a stalled
 * response must not hold back the requests queued behind it on the same socket, which
 * would fold server stalls into unrelated requests' service time).
 */
import { Pool } from 'undici';

export interface PoolOptions {
  /** Sockets to the target (scenario limits.connections). */
  connections: number;
  /** Connect timeout, ms. */
  connectTimeoutMs?: number;
}

export function createPool(targetUrl: string, o: PoolOptions): Pool {
  const origin = new URL(targetUrl).origin;
  return new Pool(origin, {
    connections: Math.max(1, Math.floor(o.connections)),
    pipelining: 1,
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 600_000,
    connectTimeout: o.connectTimeoutMs ?? 10_000,
    // The attempt timeout is enforced by send() from the intended write; undici's own
    // timers are off so that a single clock decides what a timeout is.
    headersTimeout: 0,
    bodyTimeout: 0,
  });
}
