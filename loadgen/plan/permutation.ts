/**
 * A seeded permutation of 0..n−1, to decide which TPS takes which place in a zone's time order
 * without holding one object per TPS. Two implementations behind one small interface:
 *
 * - feistelPermutation: a keyed, unbalanced Feistel network on the smallest power of two >= n
 *   (so fewer than 2 walks on average), made a bijection on [0, n) by cycle-walking. Zero
 *   memory, O(1) random access, no set-up.
 * - shuffledPermutation: Fisher–Yates over a Uint32Array (4 bytes per element), exactly uniform,
 *   O(n) set-up.
 *
 * seededPermutation is the one the plan uses: Feistel. Measured with bench/plan-memory.ts on
 * WIB's 343,211 pilkada TPS (Node 20, shared 2-core box, noisy): Feistel 0 bytes, no set-up,
 * 60–130 ns a lookup (20–45 ms for the zone); Fisher–Yates 1.31 MB, 11–15 ms set-up, then
 * 15–40 ns a lookup (20–25 ms in all). A full walk costs about the same either way, so the
 * deciding facts are the others: Feistel holds nothing, so every arrivals() and describe()
 * walk starts in O(1), and a segment K/N pays for its 1/N of the lookups only (a shuffle pays
 * the whole zone's set-up in every segment process). A load test needs TPS scattered across
 * regions, not a cryptographic shuffle; six rounds of murmur3's finaliser are plenty.
 */

export interface Permutation {
  readonly n: number;
  /** The element at position i (0 <= i < n); a bijection on [0, n). */
  at(i: number): number;
}

const ROUNDS = 6;
const MAX_N = 2 ** 30;

/** murmur3's 32-bit finaliser: a fast, well-mixing hash of a 32-bit value. */
function fmix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

function checkN(n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > MAX_N) {
    throw new RangeError(`permutation: expected a whole size in 0..2^30, got ${n}`);
  }
}

function checkI(i: number, n: number): void {
  if (!Number.isInteger(i) || i < 0 || i >= n) throw new RangeError(`permutation: position ${i} out of range 0..${n - 1}`);
}

/** A keyed Feistel permutation of [0, n) with cycle-walking; holds only its round keys. */
export function feistelPermutation(n: number, key: number): Permutation {
  checkN(n);
  // Domain 2^bits >= n, split into a high part of hiBits and a low part of loBits.
  let bits = 2;
  while (2 ** bits < n) bits++;
  const hiBits0 = bits >> 1;
  const loBits0 = bits - hiBits0;
  const keys = new Uint32Array(ROUNDS);
  for (let r = 0; r < ROUNDS; r++) keys[r] = fmix32((key >>> 0) ^ fmix32(0x9e3779b9 + r * 0x632be5ab));

  const encrypt = (x: number): number => {
    let hiBits = hiBits0;
    let loBits = loBits0;
    let hi = x >>> loBits;
    let lo = x & ((1 << loBits) - 1);
    for (let r = 0; r < ROUNDS; r++) {
      // (hi, lo) -> (lo, hi ^ F(lo)): invertible whatever F is; the halves swap sizes.
      const f = fmix32(lo ^ keys[r]);
      const next = (hi ^ f) & ((1 << hiBits) - 1);
      hi = lo;
      lo = next;
      const t = hiBits;
      hiBits = loBits;
      loBits = t;
    }
    return ((hi << loBits) | lo) >>> 0;
  };

  return {
    n,
    at(i: number): number {
      checkI(i, n);
      let y = encrypt(i);
      // Cycle-walking: y's cycle in the power-of-two domain passes through [0, n) again.
      while (y >= n) y = encrypt(y);
      return y;
    },
  };
}

/** Fisher–Yates over a Uint32Array, seeded by mulberry32 of `key`. */
export function shuffledPermutation(n: number, key: number): Permutation {
  checkN(n);
  const a = new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  let s = key >>> 0;
  for (let i = n - 1; i > 0; i--) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    const j = Math.floor(u * (i + 1));
    const tmp = a[i];
    a[i] = a[j];
    a[j] = tmp;
  }
  return {
    n,
    at(i: number): number {
      checkI(i, n);
      return a[i];
    },
  };
}

/** The permutation the plan uses (see the header for why Feistel). */
export function seededPermutation(n: number, key: number): Permutation {
  return feistelPermutation(n, key);
}
