/**
 * Shared helper of the rate-driven arrival processes (viewers, ramping-rate, constant-rate):
 * a piecewise-linear rate r(t) (per real second, over real seconds), its cumulative count
 * C(t) = ∫ r (piecewise quadratic) and the exact inverse of C, so that arrival j happens at
 * the instant C reaches j (or j + ½): deterministic, evenly spaced, no Poisson noise.
 */
import { upperBound } from '../../src/domain/search.js';

export interface RatePoint {
  /** Real seconds since the origin. */
  t: number;
  /** Arrivals per real second at t. */
  rate: number;
}

export class RateCurve {
  private readonly ts: Float64Array;
  private readonly rs: Float64Array;
  /** C at each point. */
  private readonly cs: Float64Array;
  readonly startS: number;
  readonly endS: number;
  /** C(endS): arrivals over the whole curve (fractional). */
  readonly total: number;

  constructor(points: readonly RatePoint[]) {
    const n = points.length;
    if (n === 0) throw new RangeError('rate curve: expected at least one point');
    this.ts = new Float64Array(n);
    this.rs = new Float64Array(n);
    this.cs = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const { t, rate } = points[k];
      if (!Number.isFinite(t)) throw new RangeError(`rate point ${k + 1}: expected a finite time, got ${t}`);
      if (!(rate >= 0 && Number.isFinite(rate))) throw new RangeError(`rate point ${k + 1}: expected a rate >= 0 per second, got ${rate}`);
      if (k > 0 && t < this.ts[k - 1]) throw new RangeError(`rate point ${k + 1}: expected times in ascending order (${t} s after ${this.ts[k - 1]} s)`);
      this.ts[k] = t;
      this.rs[k] = rate;
      if (k > 0) this.cs[k] = this.cs[k - 1] + ((this.rs[k - 1] + rate) / 2) * (t - this.ts[k - 1]);
    }
    this.startS = this.ts[0];
    this.endS = this.ts[n - 1];
    this.total = this.cs[n - 1];
  }

  /** r(t); 0 outside [startS, endS]. At a step, the value after it. */
  rateAt(t: number): number {
    const { ts, rs } = this;
    const n = ts.length;
    if (t < ts[0] || t > ts[n - 1]) return 0;
    const k = this.lastAtOrBefore(t);
    if (k === n - 1) return rs[k];
    const t0 = ts[k];
    const t1 = ts[k + 1];
    return t1 === t0 ? rs[k + 1] : rs[k] + ((rs[k + 1] - rs[k]) * (t - t0)) / (t1 - t0);
  }

  /** C(t): arrivals from startS to t. */
  cumulative(t: number): number {
    const { ts, rs, cs } = this;
    const n = ts.length;
    if (t <= ts[0]) return 0;
    if (t >= ts[n - 1]) return this.total;
    const k = this.lastAtOrBefore(t);
    const t0 = ts[k];
    const t1 = ts[k + 1];
    const tau = t - t0;
    const a = t1 === t0 ? 0 : (rs[k + 1] - rs[k]) / (t1 - t0);
    return cs[k] + rs[k] * tau + (a * tau * tau) / 2;
  }

  /**
   * The earliest t at which C(t) reaches `count` (0 <= count <= total): solves
   * a/2·τ² + r0·τ = Δ in the segment where C crosses count, in the stable form
   * τ = 2Δ / (r0 + √(r0² + 2aΔ)).
   */
  inverse(count: number): number {
    const { ts, rs, cs } = this;
    const n = ts.length;
    if (count <= 0) return ts[0];
    if (count > this.total) throw new RangeError(`rate curve inverse: ${count} is above the total ${this.total}`);
    // The first point whose cumulative reaches count (>= 1 since cs[0] = 0 < count).
    let lo = 1;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cs[mid] >= count) hi = mid;
      else lo = mid + 1;
    }
    const t0 = ts[lo - 1];
    const t1 = ts[lo];
    const r0 = rs[lo - 1];
    const delta = count - cs[lo - 1];
    const a = (rs[lo] - r0) / (t1 - t0); // t1 > t0: the segment has a positive area
    let tau: number;
    if (a === 0) tau = delta / r0;
    else {
      const disc = r0 * r0 + 2 * a * delta;
      tau = (2 * delta) / (r0 + Math.sqrt(disc > 0 ? disc : 0));
    }
    const t = t0 + tau;
    return t < t0 ? t0 : t > t1 ? t1 : t;
  }

  private lastAtOrBefore(t: number): number {
    return upperBound(this.ts, t) - 1;
  }
}

/**
 * How many whole arrivals fit in a cumulative total: C itself when it is an integer up to
 * rounding (500/s × 60 s = 30,000, not 30,001 by a float's last bit), else its ceiling (hit j
 * at C⁻¹(j), j = 0.., keeps every j < C).
 */
export function wholeArrivals(total: number): number {
  const r = Math.round(total);
  if (Math.abs(total - r) <= 1e-9 * Math.max(1, Math.abs(total))) return r;
  return Math.ceil(total);
}
