/**
 * The completion curve: F(local minutes) in [0, 1], the share of a zone's TPS that have
 * started their upload session by a local clock time. Piecewise-linear through points, so its
 * inverse is exact: the plan inverts it (vegeta-style: a cumulative function, inverted) to
 * place TPS i of N at F⁻¹((i + ½) / N).
 */
import type { Checkpoint, CurvePoint } from '../../src/scenario/types.js';
import { upperBound } from '../../src/domain/search.js';

export interface Curve {
  readonly points: readonly CurvePoint[];
  /** Local minute of the first and last point. */
  readonly startMin: number;
  readonly endMin: number;
  /** F(localMin): the first value before the first point, the last value after the last. */
  at(localMin: number): number;
  /**
   * The earliest local minute at which F reaches `share` (so flat stretches map to their
   * start, and a step maps to its instant). Exact for piecewise-linear; share <= F(start)
   * gives startMin; share > 1 is an error.
   */
  inverse(share: number): number;
}

/**
 * The default curve: (window.start, 0), each checkpoint (at, target), (window.end, 1).
 * Checkpoints must lie in the window and their targets must not fall (RangeError naming them).
 */
export function defaultCurvePoints(
  window: { startMin: number; endMin: number },
  checkpoints: readonly Checkpoint[],
): CurvePoint[] {
  if (!(window.endMin > window.startMin)) {
    throw new RangeError(`window: expected the end after the start, got ${fmt(window.startMin)}–${fmt(window.endMin)}`);
  }
  const sorted = [...checkpoints].sort((a, b) => a.atMin - b.atMin);
  const pts: CurvePoint[] = [{ atMin: window.startMin, value: 0 }];
  sorted.forEach((c, k) => {
    if (c.atMin < window.startMin || c.atMin > window.endMin) {
      throw new RangeError(`checkpoint "${c.at}": expected a time within the window ${fmt(window.startMin)}–${fmt(window.endMin)}`);
    }
    if (!(c.target >= 0 && c.target <= 1)) throw new RangeError(`checkpoint "${c.at}": expected a target in [0, 1], got ${c.target}`);
    if (k > 0 && c.target < sorted[k - 1].target) {
      throw new RangeError(`checkpoint "${c.at}": target ${c.target} is below the ${sorted[k - 1].target} of "${sorted[k - 1].at}"; completion never falls`);
    }
    pts.push({ atMin: c.atMin, value: c.target });
  });
  const last = pts[pts.length - 1];
  if (!(last.atMin === window.endMin && last.value === 1)) pts.push({ atMin: window.endMin, value: 1 });
  return pts;
}

const fmt = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/**
 * A curve through `points` (local minutes ascending, values non-decreasing in [0, 1], the last
 * value 1 so that every TPS gets a start time). Throws a RangeError naming the point otherwise.
 */
export function curveFromPoints(points: readonly CurvePoint[]): Curve {
  if (points.length === 0) throw new RangeError('curve: expected at least one point, got none');
  const n = points.length;
  const ts = new Float64Array(n);
  const vs = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const { atMin, value } = points[k];
    const where = `curve point ${k + 1} (${atMin} min, ${value})`;
    if (!Number.isFinite(atMin)) throw new RangeError(`${where}: expected a finite local minute`);
    if (!(value >= 0 && value <= 1)) throw new RangeError(`${where}: expected a value in [0, 1]`);
    if (k > 0 && atMin < ts[k - 1]) throw new RangeError(`${where}: expected times in ascending order (previous ${ts[k - 1]} min)`);
    if (k > 0 && value < vs[k - 1]) throw new RangeError(`${where}: expected a non-decreasing share (previous ${vs[k - 1]}); a completion curve never falls`);
    ts[k] = atMin;
    vs[k] = value;
  }
  if (vs[n - 1] !== 1) {
    throw new RangeError(`curve: expected the last point to reach 1 (every TPS starts), got ${vs[n - 1]} at ${ts[n - 1]} min`);
  }
  const frozen = Object.freeze(points.map((p) => Object.freeze({ atMin: p.atMin, value: p.value })));

  const at = (m: number): number => {
    if (m < ts[0]) return vs[0];
    if (m >= ts[n - 1]) return vs[n - 1];
    // k: last point with ts[k] <= m (the right-continuous value at a step).
    const k = upperBound(ts, m) - 1;
    const t0 = ts[k];
    const t1 = ts[k + 1];
    if (t1 === t0) return vs[k + 1];
    return vs[k] + ((vs[k + 1] - vs[k]) * (m - t0)) / (t1 - t0);
  };

  const inverse = (share: number): number => {
    if (!(share <= 1)) throw new RangeError(`curve inverse: share ${share} is above 1`);
    if (share <= vs[0]) return ts[0];
    // j: the first point whose value reaches share (j >= 1 since vs[0] < share).
    let lo = 1;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (vs[mid] >= share) hi = mid;
      else lo = mid + 1;
    }
    const t0 = ts[lo - 1];
    const t1 = ts[lo];
    const v0 = vs[lo - 1];
    const v1 = vs[lo];
    const t = t0 + ((share - v0) / (v1 - v0)) * (t1 - t0);
    // Clamp: rounding must never step outside the segment (keeps the inverse monotone).
    return t < t0 ? t0 : t > t1 ? t1 : t;
  };

  return { points: frozen, startMin: ts[0], endMin: ts[n - 1], at, inverse };
}

