/**
 * The ramping-rate executor (k6's ramping-arrival-rate): the rate starts at startRate and
 * ramps linearly to each stage's target over the stage's duration. The cumulative count is
 * piecewise quadratic; hit j happens when it reaches j (j = 0 at t = 0), inverted exactly
 * (see rate.ts). A constant stage makes it a constant-rate executor, hit for hit.
 */
import type { RateStage, RequestKind } from '../../src/scenario/types.js';
import { RateCurve, wholeArrivals, type RatePoint } from './rate.js';
import type { Schedule } from './schedule.js';
import type { Arrival } from './types.js';

export interface RampingRateConfig {
  startRate: number;
  stages: readonly RateStage[];
  request: RequestKind;
}

/** The rate points of a ramp: (0, startRate), then (end of stage k, target k). */
export function rampPoints(startRate: number, stages: readonly RateStage[]): RatePoint[] {
  if (!(startRate >= 0 && Number.isFinite(startRate))) {
    throw new RangeError(`startRate: expected hits per second >= 0, got ${startRate}`);
  }
  const pts: RatePoint[] = [{ t: 0, rate: startRate }];
  let t = 0;
  stages.forEach((s, k) => {
    if (!(s.durationMs >= 0 && Number.isFinite(s.durationMs))) {
      throw new RangeError(`stages[${k}].duration: expected a duration >= 0, got ${s.durationMs} ms`);
    }
    if (!(s.target >= 0 && Number.isFinite(s.target))) {
      throw new RangeError(`stages[${k}].target: expected hits per second >= 0, got ${s.target}`);
    }
    t += s.durationMs / 1000;
    pts.push({ t, rate: s.target });
  });
  return pts;
}

export class RampingRate implements Schedule {
  readonly curve: RateCurve;
  readonly total: number;
  readonly durationMs: number;

  constructor(
    private readonly config: RampingRateConfig,
    private readonly tpsOf: (j: number) => number = () => -1,
  ) {
    this.curve = new RateCurve(rampPoints(config.startRate, config.stages));
    this.durationMs = this.curve.endS * 1000;
    this.total = wholeArrivals(this.curve.total);
  }

  atMs(j: number): number {
    return this.curve.inverse(Math.min(j, this.curve.total)) * 1000;
  }

  arrivalAt(j: number, atMs: number): Arrival {
    return { atMs, kind: 'hit', tps: this.tpsOf(j), request: this.config.request };
  }

  describe(): string {
    const stages = this.config.stages.map((s) => `${s.target}/s over ${s.durationMs / 1000} s`).join(', ');
    return `ramping-rate: ${this.config.request} from ${this.config.startRate}/s, ${stages} (${this.total} hits)`;
  }
}
