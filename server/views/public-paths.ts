/**
 * Parses the region part of Sirekap-style public paths: "0.json" (the nation), "62.json",
 * "62/6205/620501.json", ... Each code must extend the one before it (2, 4, 6, 10, 13 digits).
 * Returns the last code ('' for the nation) or null when the path is not of that shape.
 */
const LENGTHS = [2, 4, 6, 10, 13];

export function parseRegionPath(rest: string): string | null {
  if (!rest.endsWith('.json')) return null;
  const body = rest.slice(0, -'.json'.length);
  if (body === '0' || body === '') return '';
  const codes = body.split('/');
  if (codes.length > LENGTHS.length) return null;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (!/^\d+$/.test(c) || c.length !== LENGTHS[i]) return null;
    if (i > 0 && !c.startsWith(codes[i - 1])) return null;
  }
  return codes[codes.length - 1];
}

/** Sirekap's timestamp style, in WIB: "2024-11-27 19:00:00". */
export function sirekapTs(ms: number): string {
  return new Date(ms + 7 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}
