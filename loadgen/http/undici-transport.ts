/**
 * The undici path: a Transport over any undici Dispatcher (a Pool from pool.ts for https://
 * targets, or a dispatcher handed in by a caller). One attempt goes through `dispatch` with
 * a plain handler: no fetch, no streams, no per-request promise chains beyond the one we
 * return. The handler notes the moment undici writes the request to a socket (onConnect),
 * which separates queueing in the pool (part of latency, not of service time) from the
 * server's service time.
 *
 * The attempt timeout runs from the call; if it fires while the request still waits for a
 * free connection, the attempt resolves as ETIMEDOUT and the request is aborted the moment
 * undici hands it a socket (there is no abort handle before that).
 */
import type { Dispatcher } from 'undici';
import { nowUs } from '../clock.js';
import { MAX_PARSE_BYTES, codeOf, parseKept, parseRetryAfter, transportCode } from './result.js';
import type { Transport } from './transport.js';
import type { HttpResult, RequestSpec } from './types.js';

const LOWER_RETRY_AFTER = 'retry-after';

class AttemptTimeout extends Error {
  readonly code = 'ETIMEDOUT';
  constructor() { super('attempt timed out'); }
}

/**
 * One attempt's state and undici handler in one object (methods on the prototype): no
 * closures and no handler object allocated per request.
 */
class Attempt implements Dispatcher.DispatchHandler {
  private done = false;
  private abortFn: ((err?: Error) => void) | null = null;
  private status = 0;
  private retryAfterS = -1;
  private writeUs = 0;
  private chunks: Buffer[] | null = null;
  private bytes = 0;
  timer: NodeJS.Timeout | null = null;

  constructor(private readonly parse: boolean, private readonly resolve: (r: HttpResult) => void) {}

  finish(st: number, code: string, body: unknown): void {
    if (this.done) return;
    this.done = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.resolve({ status: st, code, retryAfterS: this.retryAfterS, body, writeUs: this.writeUs, endUs: nowUs() });
  }

  /** The attempt timeout fired (setTimeout calls this with the Attempt as `this`). */
  timeout(): void {
    this.finish(0, 'ETIMEDOUT', null);
    if (this.abortFn) this.abortFn(new AttemptTimeout());
  }

  onConnect(ab: (err?: Error) => void): void {
    if (this.done) { ab(new AttemptTimeout()); return; }
    this.abortFn = ab;
    this.writeUs = nowUs();
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[] | string[] | null): boolean {
    this.status = statusCode;
    if (rawHeaders) {
      for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
        const k = rawHeaders[i];
        if (k.length === 11 && String(k).toLowerCase() === LOWER_RETRY_AFTER) {
          this.retryAfterS = parseRetryAfter(String(rawHeaders[i + 1]));
        }
      }
    }
    // Errors always carry a JSON `code` worth reading; successes only when asked.
    if (this.parse || statusCode >= 400) this.chunks = [];
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.chunks !== null) {
      this.bytes += chunk.length;
      if (this.bytes <= MAX_PARSE_BYTES) this.chunks.push(chunk);
      else this.chunks = null;
    }
    return true;
  }

  onComplete(): void {
    const status = this.status;
    const body = parseKept(this.chunks);
    this.finish(status, codeOf(status, body), this.parse ? body : (status >= 400 ? body : null));
  }

  onError(err: Error): void {
    this.finish(0, transportCode(err), null);
  }
}

function onAttemptTimeout(a: Attempt): void {
  a.timeout();
}

/** One attempt through an undici dispatcher. */
export function sendUndici(dispatcher: Dispatcher, spec: RequestSpec, timeoutMs: number): Promise<HttpResult> {
  return new Promise<HttpResult>((resolve) => {
    const a = new Attempt(spec.parse, resolve);
    if (timeoutMs > 0) a.timer = setTimeout(onAttemptTimeout, timeoutMs, a);
    try {
      dispatcher.dispatch({
        method: spec.method,
        path: spec.path,
        headers: spec.headers,
        body: spec.body as Dispatcher.DispatchOptions['body'],
      }, a as Dispatcher.DispatchHandler);
    } catch (err) {
      a.finish(0, transportCode(err as Error), null);
    }
  });
}

/** A Transport over an undici dispatcher; close()/destroy() reach it only when `owned`. */
export class UndiciTransport implements Transport {
  constructor(readonly dispatcher: Dispatcher, private readonly owned: boolean) {}

  send(spec: RequestSpec, timeoutMs: number): Promise<HttpResult> {
    return sendUndici(this.dispatcher, spec, timeoutMs);
  }

  async close(): Promise<void> {
    if (this.owned) await this.dispatcher.close().catch(() => undefined);
  }

  async destroy(): Promise<void> {
    if (this.owned) await this.dispatcher.destroy().catch(() => undefined);
  }
}
