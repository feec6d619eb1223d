/**
 * Largest-Triangle-Three-Buckets (Steinarsson 2013): picks `threshold` points of a line that
 * keep its visual shape. Used for smooth curves (cumulative completion), where keeping the
 * shape matters more than keeping every peak. Returns indexes so that sibling series sharing
 * the same x (one line per zone) can be sampled at the same points.
 */
export function lttbIndexes(xs: ArrayLike<number>, ys: ArrayLike<number>, threshold: number): number[] {
  const n = xs.length;
  if (threshold >= n || threshold < 3) return Array.from({ length: n }, (_, i) => i);
  const picked: number[] = [0];
  const every = (n - 2) / (threshold - 2);
  let a = 0;
  for (let i = 0; i < threshold - 2; i++) {
    // Average of the next bucket: the third corner of the triangle.
    const nextStart = Math.floor((i + 1) * every) + 1;
    const nextEnd = Math.min(Math.floor((i + 2) * every) + 1, n);
    let avgX = 0;
    let avgY = 0;
    for (let j = nextStart; j < nextEnd; j++) { avgX += xs[j]; avgY += ys[j]; }
    const len = Math.max(1, nextEnd - nextStart);
    avgX /= len;
    avgY /= len;
    // The point of this bucket that makes the largest triangle with the last pick and that average.
    const start = Math.floor(i * every) + 1;
    const end = Math.floor((i + 1) * every) + 1;
    let best = start;
    let bestArea = -1;
    for (let j = start; j < end; j++) {
      const area = Math.abs((xs[a] - avgX) * (ys[j] - ys[a]) - (xs[a] - xs[j]) * (avgY - ys[a]));
      if (area > bestArea) { bestArea = area; best = j; }
    }
    picked.push(best);
    a = best;
  }
  picked.push(n - 1);
  return picked;
}
