/**
 * What the engine sends through: one object per target with a connection pool behind it.
 * `createTransport` picks the raw keep-alive client (raw-pool.ts) for http:// targets and
 * undici (undici-transport.ts) for https://; an undici Dispatcher can also be wrapped
 * (tests, tools that already hold one). attempt.ts, probe.ts and run.ts only call send().
 */
import type { HttpResult, RequestSpec } from './types.js';
import { RawPool } from './raw-pool.js';
import { UndiciTransport } from './undici-transport.js';
import { createPool } from './pool.js';

export interface Transport {
  /** One attempt; never rejects (failures are an HttpResult with status 0 and a code). */
  send(spec: RequestSpec, timeoutMs: number): Promise<HttpResult>;
  /** Finish what is queued and in flight, then close every socket. */
  close(): Promise<void>;
  /** Close every socket now; pending attempts fail. */
  destroy(): Promise<void>;
}

export interface TransportOptions {
  /** Sockets to the target (scenario limits.connections). */
  connections: number;
  /** Connect timeout, ms (default 10 s). */
  connectTimeoutMs?: number;
}

export function createTransport(targetUrl: string, o: TransportOptions): Transport {
  const u = new URL(targetUrl);
  if (u.protocol === 'http:') return new RawPool(u, o);
  return new UndiciTransport(createPool(targetUrl, o), true);
}
