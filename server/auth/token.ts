/**
 * Login tokens: stateless, HMAC-signed, bound to one TPS and an expiry, so verifying one costs
 * a hash and no lookup (the mock must not fall over at login the way the real service did).
 *
 *   token = "v1." + tps + "." + expiresAtS + "." + base64url(HMAC-SHA256(secret, "v1." + tps + "." + expiresAtS))
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../errors.js';

export function signToken(secret: string, tps: string, expiresAtS: number): string {
  const body = `v1.${tps}.${expiresAtS}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

/** A token's TPS and expiry once its format and signature check out; throws MISSING_TOKEN / INVALID_TOKEN. */
function checkSignature(secret: string, authorization: string | undefined): { tps: string; exp: number } {
  if (!authorization) throw new ApiError('MISSING_TOKEN', 'Authorization: Bearer <token> is required (POST /api/v1/auth/login)');
  const m = /^Bearer\s+(v1\.(\d{13})\.(\d{1,12}))\.([A-Za-z0-9_-]{43})$/.exec(authorization.trim());
  if (!m) throw new ApiError('INVALID_TOKEN', 'Authorization is not a Bearer token issued by this server');
  const [, body, tps, exp, sig] = m;
  // Compared as text, not as decoded bytes: the 43rd character carries 2 unused bits, so
  // decoding would accept 4 spellings of one signature (found by the fuzz test's flipSig).
  const want = Buffer.from(createHmac('sha256', secret).update(body).digest('base64url'));
  const got = Buffer.from(sig);
  if (got.length !== want.length || !timingSafeEqual(got, want)) {
    throw new ApiError('INVALID_TOKEN', 'token signature does not match (forged, or issued by another server start)');
  }
  return { tps, exp: Number(exp) };
}

function checkExpiry(exp: number, nowS: number): void {
  if (exp <= nowS) throw new ApiError('EXPIRED_TOKEN', 'token expired: log in again');
}

/** The TPS a token was issued for; throws MISSING_TOKEN / INVALID_TOKEN / EXPIRED_TOKEN. */
export function verifyToken(secret: string, authorization: string | undefined, nowS: number): string {
  const t = checkSignature(secret, authorization);
  checkExpiry(t.exp, nowS);
  return t.tps;
}

/**
 * verifyToken with a bounded cache of tokens whose signature was already checked (keyed by the
 * whole Authorization value, least recently used dropped first): an officer uploads several
 * forms with one token, and the HMAC is the dearest part of the check. Expiry is checked on
 * every call, so a cached token expires like any other; a value not in the cache (a forgery,
 * another server's token) takes the full check.
 */
export class TokenVerifier {
  private readonly cache = new Map<string, { tps: string; exp: number }>();

  constructor(private readonly secret: string, private readonly max = 16_384) {}

  verify(authorization: string | undefined, nowS: number): string {
    const hit = authorization === undefined ? undefined : this.cache.get(authorization);
    const t = hit ?? checkSignature(this.secret, authorization);
    this.cache.delete(authorization!); // a hit goes back in last: most recently used
    checkExpiry(t.exp, nowS); // an expired token is not kept
    if (this.cache.size >= this.max) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(authorization!, t);
    return t.tps;
  }
}
