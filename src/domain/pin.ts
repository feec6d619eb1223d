/**
 * Officer PINs. The mock server derives each TPS's PIN from its secret and the TPS code, so a
 * load generator that knows the secret can log every officer in without a list of 800k PINs:
 *
 *   pin = first 6 decimal digits of HMAC-SHA256(secret, tpsCode) read as a big-endian integer
 *         modulo 1,000,000, zero-padded to 6 digits.
 *
 * The default secret is public ("ujibeban-mock"): the mock holds no real credentials.
 */
import { createHmac } from 'node:crypto';

export const DEFAULT_PIN_SECRET = 'ujibeban-mock';

export function derivePin(secret: string, tpsCode: string): string {
  const mac = createHmac('sha256', secret).update(tpsCode).digest();
  return String(mac.readUInt32BE(0) % 1_000_000).padStart(6, '0');
}
