/** Binary search over sorted numbers: region lookups, curve segments and rate segments share it. */

/** Index of the first element greater than x (arr sorted ascending); arr.length if none. */
export function upperBound(arr: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
