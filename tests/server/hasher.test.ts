/**
 * The photo hasher (server/upload/hasher.ts): the digest is the sha256 of the bytes whatever
 * their size and chunking, hashed inline (the default) or on the hashing thread (through the
 * shared ring, around its end and past a full ring), many pages at once do not mix, and a page
 * aborted half way leaves the others intact.
 */
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PageHasher, RING_BYTES } from '../../server/upload/hasher.js';

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

function feed(h: PageHasher, b: Buffer, chunk: number): void {
  for (let o = 0; o < b.length; o += chunk) h.update(b.subarray(o, o + chunk));
}

describe('PageHasher', () => {
  it.each([['inline', false], ['on the thread', true]])('matches sha256 at every size and chunking (%s)', async (_mode, onThread) => {
    for (const size of [0, 1, 1000, 32_767, 32_768, 32_769, 150_000, 1_000_003, RING_BYTES + 12_345]) {
      const b = randomBytes(size);
      for (const chunk of [1000, 65536, 200_000]) {
        if (size > 200_000 && chunk === 1000) continue;
        const h = new PageHasher(onThread);
        feed(h, b, chunk);
        expect(await h.digest(), `${size} bytes in ${chunk}`).toBe(sha(b));
      }
    }
  });

  it('carries pages larger than the ring at once (the fallback when the ring is full)', async () => {
    const bodies = Array.from({ length: 3 }, () => randomBytes(RING_BYTES / 2 + 1000));
    const hs = bodies.map((b) => {
      const h = new PageHasher(true);
      feed(h, b, 65_536);
      return h;
    });
    expect(await Promise.all(hs.map((h) => h.digest()))).toEqual(bodies.map(sha));
  });

  it.each([['inline', false], ['on the thread', true]])('keeps concurrent pages apart, and an aborted page does not disturb the rest (%s)', async (_mode, onThread) => {
    const bodies = Array.from({ length: 40 }, (_, i) => randomBytes(100_000 + i * 997));
    const hs = bodies.map(() => new PageHasher(onThread));
    // Interleave the pages chunk by chunk, as concurrent uploads do.
    for (let o = 0; o < 200_000; o += 16_384) hs.forEach((h, i) => { if (o < bodies[i].length) h.update(bodies[i].subarray(o, o + 16_384)); });
    hs[3].abort();
    hs[17].abort();
    const got = await Promise.all(hs.map((h, i) => (i === 3 || i === 17 ? Promise.resolve(null) : h.digest())));
    got.forEach((d, i) => { if (d !== null) expect(d).toBe(sha(bodies[i])); });
  });
});
