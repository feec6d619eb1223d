/**
 * send(): one HTTP attempt on an undici Pool via `dispatch` with a plain handler: no fetch,
 * no streams, no per-request promise chains beyond the one we return. The handler notes the
 * moment undici writes the request to a socket (onConnect), which separates queueing in the
 * pool (part of latency, not of service time) from the server's service time.
 *
 * The attempt timeout runs from the call; if it fires while the request still waits for a
 * free connection, the attempt resolves as ETIMEDOUT and the request is aborted the moment
 * undici hands it a socket (there is no abort handle before that).
 */
import type { Dispatcher } from 'undici';
import { nowUs } from '../clock.js';
import type { HttpResult, RequestSpec } from './types.js';

/** Largest response body kept for JSON parsing; bigger ones are read and discarded. */
const MAX_PARSE_BYTES = 256 * 1024;

const LOWER_RETRY_AFTER = 'retry-after';

class AttemptTimeout extends Error {
  readonly code = 'ETIMEDOUT';
  constructor() { super('attempt timed out'); }
}

export function send(dispatcher: Dispatcher, spec: RequestSpec, timeoutMs: number): Promise<HttpResult> {
  return new Promise<HttpResult>((resolve) => {
    let done = false;
    let abort: ((err?: Error) => void) | null = null;
    let status = 0;
    let retryAfterS = -1;
    let writeUs = 0;
    let chunks: Buffer[] | null = null;
    let bytes = 0;
    let timer: NodeJS.Timeout | null = null;

    const finish = (st: number, code: string, body: unknown): void => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      resolve({ status: st, code, retryAfterS, body, writeUs, endUs: nowUs() });
    };

    if (timeoutMs > 0) {
      timer = setTimeout(() => {
        const err = new AttemptTimeout();
        finish(0, 'ETIMEDOUT', null);
        if (abort) abort(err);
      }, timeoutMs);
    }

    const handler: Dispatcher.DispatchHandler = {
      onConnect(ab: (err?: Error) => void) {
        if (done) { ab(new AttemptTimeout()); return; }
        abort = ab;
        writeUs = nowUs();
      },
      onHeaders(statusCode: number, rawHeaders: Buffer[] | string[] | null) {
        status = statusCode;
        if (rawHeaders) {
          for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
            const k = rawHeaders[i];
            if (k.length === 11 && String(k).toLowerCase() === LOWER_RETRY_AFTER) {
              retryAfterS = parseRetryAfter(String(rawHeaders[i + 1]));
            }
          }
        }
        // Errors always carry a JSON `code` worth reading; successes only when asked.
        if (spec.parse || statusCode >= 400) chunks = [];
        return true;
      },
      onData(chunk: Buffer) {
        if (chunks !== null) {
          bytes += chunk.length;
          if (bytes <= MAX_PARSE_BYTES) chunks.push(chunk);
          else chunks = null;
        }
        return true;
      },
      onComplete() {
        let body: unknown = null;
        if (chunks !== null && chunks.length > 0) {
          try { body = JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch { body = null; }
        }
        let code = '';
        if (status < 200 || status >= 300) {
          const c = (body as { code?: unknown } | null)?.code;
          code = typeof c === 'string' && c !== '' ? c : `HTTP_${status}`;
        }
        finish(status, code, spec.parse ? body : (status >= 400 ? body : null));
      },
      onError(err: Error) {
        finish(0, transportCode(err), null);
      },
    } as Dispatcher.DispatchHandler;

    try {
      (dispatcher as Dispatcher).dispatch({
        method: spec.method,
        path: spec.path,
        headers: spec.headers,
        body: spec.body as Dispatcher.DispatchOptions['body'],
      }, handler);
    } catch (err) {
      finish(0, transportCode(err as Error), null);
    }
  });
}

/** A stable code for a failed attempt: Node's errno code or undici's UND_ERR_* code. */
export function transportCode(err: Error): string {
  const e = err as Error & { code?: unknown; cause?: { code?: unknown } };
  if (typeof e.code === 'string' && e.code !== '') return e.code;
  if (e.cause && typeof e.cause.code === 'string') return e.cause.code;
  return 'ERR_TRANSPORT';
}

/** Retry-After as seconds: delta-seconds or an HTTP-date; -1 when unreadable. */
export function parseRetryAfter(v: string): number {
  const s = v.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  const at = Date.parse(s);
  if (Number.isNaN(at)) return -1;
  return Math.max(0, (at - Date.now()) / 1000);
}
