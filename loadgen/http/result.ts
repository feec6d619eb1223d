/**
 * The rules that turn a response (or a failure) into an HttpResult's fields, shared by both
 * clients (raw-pool.ts and undici-transport.ts): which bodies are kept and parsed, the
 * `code` of a non-2xx, the transport code of an error, Retry-After in seconds.
 */

/** Largest response body kept for JSON parsing; bigger ones are read and discarded. */
export const MAX_PARSE_BYTES = 256 * 1024;

/** The kept body chunks parsed as JSON, or null (none kept, empty, not JSON). */
export function parseKept(chunks: Buffer[] | null): unknown {
  if (chunks === null || chunks.length === 0) return null;
  try {
    return JSON.parse((chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString('utf8'));
  } catch {
    return null;
  }
}

/** '' for a 2xx; else the JSON body's string `code`, or HTTP_<status>. */
export function codeOf(status: number, body: unknown): string {
  if (status >= 200 && status < 300) return '';
  const c = (body as { code?: unknown } | null)?.code;
  return typeof c === 'string' && c !== '' ? c : `HTTP_${status}`;
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
