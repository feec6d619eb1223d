import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateForm } from '../../src/domain/index.js';
import { dataHash } from '../../server/store/uploads.js';

const form = generateForm({ seed: 1, tpsCode: '6201010001001', contest: 'pkwkp', meanDpt: 400, maxVoters: 600 });
const photos = [{ sha256: 'a'.repeat(64), bytes: 50_000 }, { sha256: 'b'.repeat(64), bytes: 70_000 }];
const op = { administrasi: form.administrasi, chart: form.chart, photos };

/** The digest as stores written before 2026-12-04 computed it: a Hash updated part by part. */
function hashByParts(o: typeof op): string {
  const h = createHash('sha256');
  const sorted = (x: Record<string, unknown>): string => JSON.stringify(Object.keys(x).sort().map((k) => [k, x[k]]));
  h.update(sorted(o.administrasi));
  h.update(sorted(o.chart));
  for (const p of o.photos) h.update(p.sha256);
  return h.digest('hex');
}

const reversed = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).reverse()) as T;

describe('dataHash (what makes a re-upload identical)', () => {
  it('equals the part-by-part digest of earlier files, so a form stored before still matches its re-upload', () => {
    expect(dataHash(op)).toBe(hashByParts(op));
    // This form's digest as the code of 123bfda (before one-shot hashing) computed it: a change
    // of the canonical text would make every stored form look changed on its next re-upload.
    expect(dataHash(op)).toBe('d2ad4f8d16d4025009521771d5237632a53403c82674687dfd26fd4b2cc43841');
  });

  it('does not depend on the order of the fields', () => {
    expect(dataHash({ ...op, administrasi: reversed(op.administrasi), chart: reversed(op.chart) })).toBe(dataHash(op));
  });

  it('changes with a vote, a field of administrasi, or a photo', () => {
    const id = Object.keys(op.chart)[0];
    expect(dataHash({ ...op, chart: { ...op.chart, [id]: op.chart[id] + 1 } })).not.toBe(dataHash(op));
    expect(dataHash({ ...op, administrasi: { ...op.administrasi, suara_tidak_sah: op.administrasi.suara_tidak_sah + 1 } })).not.toBe(dataHash(op));
    expect(dataHash({ ...op, photos: [photos[1], photos[0]] })).not.toBe(dataHash(op));
    expect(dataHash({ ...op, photos: photos.slice(0, 1) })).not.toBe(dataHash(op));
  });
});
