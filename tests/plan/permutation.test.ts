import { describe, expect, it } from 'vitest';
import { feistelPermutation, seededPermutation, shuffledPermutation, type Permutation } from '../../loadgen/plan/permutation.js';

function isBijection(p: Permutation): boolean {
  const seen = new Uint8Array(p.n);
  for (let i = 0; i < p.n; i++) {
    const v = p.at(i);
    if (!(v >= 0 && v < p.n) || seen[v]) return false;
    seen[v] = 1;
  }
  return true;
}

const SIZES = [1, 2, 3, 4, 5, 7, 8, 9, 63, 64, 65, 100, 175, 270, 747, 1000, 4097, 17_444, 74_641];

describe('the seeded TPS order', () => {
  it('is a bijection on 0..n−1 for every zone size (Feistel with cycle-walking)', () => {
    for (const n of SIZES) for (const key of [0, 1, 0xdeadbeef]) expect(isBijection(feistelPermutation(n, key)), `n=${n} key=${key}`).toBe(true);
  });

  it("is a bijection on WIB's 343,211 pilkada TPS", () => {
    expect(isBijection(seededPermutation(343_211, 42))).toBe(true);
  });

  it('is a bijection as a Fisher–Yates shuffle too', () => {
    for (const n of SIZES) expect(isBijection(shuffledPermutation(n, 7)), `n=${n}`).toBe(true);
  });

  it('gives the same order for the same seed and another order for another seed', () => {
    const a = seededPermutation(4_446, 1);
    const b = seededPermutation(4_446, 1);
    const c = seededPermutation(4_446, 2);
    const first = (p: Permutation) => Array.from({ length: 50 }, (_, i) => p.at(i));
    expect(first(a)).toEqual(first(b));
    expect(first(a)).not.toEqual(first(c));
  });

  it('scatters neighbours: consecutive positions land far apart, few fixed points', () => {
    const n = 10_000;
    const p = seededPermutation(n, 5);
    let gap = 0;
    let fixed = 0;
    for (let i = 0; i < n; i++) {
      if (p.at(i) === i) fixed++;
      if (i > 0) gap += Math.abs(p.at(i) - p.at(i - 1));
    }
    // A uniform permutation: mean gap n/3, about one fixed point.
    expect(gap / (n - 1)).toBeGreaterThan(n / 4);
    expect(gap / (n - 1)).toBeLessThan(n / 2.4);
    expect(fixed).toBeLessThan(10);
  });

  it('refuses positions outside 0..n−1', () => {
    expect(() => seededPermutation(10, 1).at(10)).toThrow(/out of range 0..9/);
    expect(() => seededPermutation(-1, 1)).toThrow(/whole size/);
  });
});
