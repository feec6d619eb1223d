/**
 * What the engine sends and gets back, independent of any target's API: a target profile
 * describes requests as RequestSpec, send() turns them into an HttpResult with timings.
 */
export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD' | 'PATCH';

export interface RequestSpec {
  method: Method;
  /** Path and query, e.g. "/api/v1/progress?region=62". */
  path: string;
  headers: Record<string, string>;
  /** An array body is written chunk by chunk (multipart: photo Buffers are never copied). */
  body: string | Buffer | readonly Buffer[] | null;
  /** Parse a JSON response body (only small bodies are kept; reads skip this). */
  parse: boolean;
}

export interface HttpResult {
  /** HTTP status, or 0 when no response arrived (timeout, connection error). */
  status: number;
  /** '' for a 2xx; the server's error `code` (JSON body) or a transport code (ETIMEDOUT, ECONNREFUSED...). */
  code: string;
  /** Retry-After in seconds, or -1 when absent (HTTP-date forms are converted). */
  retryAfterS: number;
  /** Parsed JSON when the spec asked for it and it was small; else null. */
  body: unknown;
  /** Monotonic µs when the request was written to a socket (0: never written). */
  writeUs: number;
  /** Monotonic µs when the response ended or the attempt failed. */
  endUs: number;
}
