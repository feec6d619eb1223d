/**
 * Where load may go. ujibeban sends load to loopback (127.0.0.0/8, ::1, localhost) unless the
 * user says `--allow-remote` for a staging server they own: a load test aimed at the wrong
 * host is an attack.
 */
import { isIP } from 'node:net';
import { UsageError } from './errors.js';

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (h.startsWith('::ffff:')) return h.slice(7).startsWith('127.');
  return false;
}

export function isLoopbackUrl(url: string): boolean {
  try {
    return isLoopbackHost(new URL(url).hostname);
  } catch {
    return false;
  }
}

/**
 * Checks a --target URL: http(s), and loopback unless the user allowed a remote target.
 * Throws UsageError (exit 2) naming the flag and what was expected.
 */
export function checkTarget(url: string, allowRemote: boolean): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--target: expected a URL like http://127.0.0.1:3000, got "${url}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(`--target: expected an http:// or https:// URL, got "${url}"`);
  }
  if (!allowRemote && !isLoopbackHost(parsed.hostname)) {
    throw new UsageError(`--target ${url}: load goes to loopback only (127.0.0.0/8, ::1, localhost); ` +
      'add --allow-remote only for a staging server you own');
  }
}
