/**
 * Errors as data: every refusal is an ApiError with a stable machine-readable `code`, the
 * HTTP status and a message that names the field and the expectation. The error-handler
 * plugin renders them as `{statusCode, code, error, message}`.
 */
import { STATUS_CODES } from 'node:http';

export const CODES = {
  NOT_MULTIPART: 415,
  MISSING_DATA: 400,
  INVALID_JSON: 400,
  INVALID_FORM: 422,
  UNKNOWN_CANDIDATE: 422,
  MISSING_PAGE: 400,
  NOT_JPEG: 415,
  TOO_MANY_PAGES: 413,
  PAGE_TOO_LARGE: 413,
  BODY_TOO_LARGE: 413,
  MALFORMED_MULTIPART: 400,
  BODY_TIMEOUT: 408,
  REQUEST_TIMEOUT: 408,
  HEADERS_TOO_LARGE: 431,
  BAD_REQUEST: 400,
  BAD_URL: 400,
  URI_TOO_LONG: 414,
  UNKNOWN_TPS: 404,
  UNKNOWN_CONTEST: 404,
  CONTEST_NOT_HELD: 404,
  UNKNOWN_REGION: 404,
  INVALID_BODY: 400,
  INVALID_QUERY: 400,
  MISSING_TOKEN: 401,
  INVALID_TOKEN: 401,
  EXPIRED_TOKEN: 401,
  INVALID_CREDENTIALS: 401,
  WRONG_TPS: 403,
  ADMIN_TOKEN_REQUIRED: 401,
  ADMIN_LOOPBACK_ONLY: 403,
  NOT_FOUND: 404,
  INJECTED_FAULT: 500,
  OVERLOADED: 503,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof CODES;

export class ApiError extends Error {
  readonly statusCode: number;
  readonly code: ErrorCode;
  /** Extra response headers (Retry-After for OVERLOADED). */
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.statusCode = CODES[code];
    this.headers = headers;
  }
}

export interface ErrorBody {
  statusCode: number;
  code: string;
  error: string;
  message: string;
}

export function errorBody(statusCode: number, code: string, message: string): ErrorBody {
  return { statusCode, code, error: STATUS_CODES[statusCode] ?? 'Error', message };
}
