/**
 * The constant-rate executor (k6's constant-arrival-rate, vegeta's constant pacer): `rate`
 * hits per second for a duration; hit j at j / rate seconds, so rate × duration hits, evenly
 * spaced, the first at t = 0. Login and upload hits name a TPS (see plan.ts); reads do not.
 */
import type { RequestKind } from '../../src/scenario/types.js';
import { wholeArrivals } from './rate.js';
import type { Schedule } from './schedule.js';
import type { Arrival } from './types.js';

export interface ConstantRateConfig {
  rate: number;
  durationMs: number;
  request: RequestKind;
}

export class ConstantRate implements Schedule {
  readonly total: number;
  readonly durationMs: number;

  constructor(
    private readonly config: ConstantRateConfig,
    /** The TPS a hit j works on (login/upload), or -1. */
    private readonly tpsOf: (j: number) => number = () => -1,
  ) {
    if (!(config.rate > 0 && Number.isFinite(config.rate))) {
      throw new RangeError(`rate: expected hits per second > 0, got ${config.rate}`);
    }
    if (!(config.durationMs >= 0 && Number.isFinite(config.durationMs))) {
      throw new RangeError(`duration: expected a duration >= 0, got ${config.durationMs} ms`);
    }
    this.durationMs = config.durationMs;
    this.total = wholeArrivals((config.rate * config.durationMs) / 1000);
  }

  atMs(j: number): number {
    return (j * 1000) / this.config.rate;
  }

  arrivalAt(j: number, atMs: number): Arrival {
    return { atMs, kind: 'hit', tps: this.tpsOf(j), request: this.config.request };
  }

  /** One line for --dry-run. */
  describe(): string {
    return `constant-rate: ${this.config.rate}/s of ${this.config.request} for ${this.config.durationMs / 1000} s (${this.total} hits)`;
  }
}
