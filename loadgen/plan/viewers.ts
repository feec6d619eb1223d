/**
 * Viewer reads: an arrival process of its own, apart from the officers. The scenario's
 * viewers.rate is reads per real second, piecewise-linear along WIB clock time; its integral
 * over real time is the cumulative count C, and viewer j arrives when C reaches j + ½
 * (deterministic and evenly spaced, like the officers' (i + ½) / N; no Poisson noise). The
 * part of the curve before the plan origin is not played. The read kind follows the mix
 * through a seeded golden-ratio sequence: deterministic, and every prefix keeps the mix's
 * proportions to within a few reads.
 */
import { hashString, mulberry32 } from '../../src/domain/rng.js';
import type { CurvePoint, RequestKind, ViewerConfig } from '../../src/scenario/types.js';
import type { PlanClock } from './clock.js';
import { RateCurve, type RatePoint } from './rate.js';
import type { Schedule } from './schedule.js';
import type { Arrival } from './types.js';

const READS: readonly RequestKind[] = ['read:progress', 'read:hhcw', 'read:wilayah'];
const GOLDEN = (Math.sqrt(5) - 1) / 2;

/** Picks a read kind for position j from the mix, deterministically (seeded). */
export class ReadMix {
  private readonly cut0: number;
  private readonly cut1: number;
  private readonly u0: number;

  constructor(mix: ViewerConfig['mix'], seed: number, name = 'plan/viewers/mix') {
    const w = [mix.progress, mix.hhcw, mix.wilayah];
    for (const [k, v] of w.entries()) {
      if (!(v >= 0 && Number.isFinite(v))) {
        throw new RangeError(`viewers.mix.${['progress', 'hhcw', 'wilayah'][k]}: expected a share >= 0, got ${v}`);
      }
    }
    const sum = w[0] + w[1] + w[2];
    if (!(sum > 0)) throw new RangeError('viewers.mix: expected at least one positive share (progress, hhcw, wilayah)');
    this.cut0 = w[0] / sum;
    this.cut1 = (w[0] + w[1]) / sum;
    this.u0 = mulberry32(hashString(name, seed))();
  }

  at(j: number): RequestKind {
    const x = this.u0 + j * GOLDEN;
    const u = x - Math.floor(x);
    return u < this.cut0 ? READS[0] : u < this.cut1 ? READS[1] : READS[2];
  }
}

/** The viewer rate curve over real seconds since the origin, clipped at t = 0 (null if none). */
export function viewerRateCurve(rate: readonly CurvePoint[], clock: PlanClock): RateCurve | null {
  if (rate.length === 0) return null;
  const pts: RatePoint[] = rate.map((p, k) => {
    const where = `viewers.rate[${k}]`;
    if (!Number.isFinite(p.atMin)) throw new RangeError(`${where}: expected a WIB time ("19:00"), got ${p.atMin}`);
    if (!(p.value >= 0 && Number.isFinite(p.value))) throw new RangeError(`${where}: expected reads per second >= 0, got ${p.value}`);
    if (k > 0 && p.atMin < rate[k - 1].atMin) throw new RangeError(`${where}: expected times in ascending order`);
    return { t: clock.simSToRealMs(p.atMin * 60) / 1000, rate: p.value };
  });
  const full = new RateCurve(pts);
  if (full.startS >= 0) return full;
  if (full.endS <= 0) return null;
  const kept = pts.filter((p) => p.t > 0);
  return new RateCurve([{ t: 0, rate: full.rateAt(0) }, ...kept]);
}

export class Viewers implements Schedule {
  readonly total: number;
  readonly curve: RateCurve | null;
  private readonly mix: ReadMix | null;

  constructor(config: ViewerConfig, clock: PlanClock, seed: number) {
    this.curve = viewerRateCurve(config.rate, clock);
    // Viewer j arrives when C reaches j + ½: there are round(C_end) of them.
    this.total = this.curve ? Math.floor(this.curve.total + 0.5) : 0;
    this.mix = this.total > 0 ? new ReadMix(config.mix, seed) : null;
  }

  atMs(j: number): number {
    const c = this.curve!;
    return c.inverse(Math.min(j + 0.5, c.total)) * 1000;
  }

  requestAt(j: number): RequestKind {
    return this.mix!.at(j);
  }

  arrivalAt(j: number, atMs: number): Arrival {
    return { atMs, kind: 'viewer', tps: -1, request: this.mix!.at(j) };
  }
}
