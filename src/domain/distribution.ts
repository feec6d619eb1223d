/** Size and delay distributions that scenarios and fault options describe in JSON. */
import { normal, type Rng } from './rng.js';

export type Distribution =
  | { fixed: number }
  | { uniform: { min: number; max: number } }
  | { lognormal: { median: number; sigma: number } };

export function sample(d: Distribution, rng: Rng): number {
  if ('fixed' in d) return d.fixed;
  if ('uniform' in d) return d.uniform.min + rng() * (d.uniform.max - d.uniform.min);
  return d.lognormal.median * Math.exp(d.lognormal.sigma * normal(rng));
}

/** Median of a distribution, for descriptions (--dry-run) and sizing. */
export function median(d: Distribution): number {
  if ('fixed' in d) return d.fixed;
  if ('uniform' in d) return (d.uniform.min + d.uniform.max) / 2;
  return d.lognormal.median;
}
