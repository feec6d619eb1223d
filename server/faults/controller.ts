/**
 * The live fault state: the current FaultConfig, a seeded random stream for error draws and
 * latency samples (reproducible runs), in-flight counters for the overload caps, and the
 * stall clock. Hooks ask it what to do; the admin route replaces its config.
 */
import { rngFor, sample, type Distribution, type Rng } from '../../src/domain/index.js';
import type { FaultConfig } from './config.js';

export type FaultKind = 'none' | 'health' | 'api' | 'login' | 'upload';

export class FaultController {
  private cfg: FaultConfig = {};
  private stallOrigin = Date.now();
  private readonly rng: Rng;
  readonly inFlight = { login: 0, upload: 0 };

  constructor(config: FaultConfig, seed: number) {
    this.rng = rngFor(seed, 'faults');
    this.set(config);
  }

  get config(): FaultConfig {
    return this.cfg;
  }

  /** Replaces the configuration; the stall clock restarts now. */
  set(config: FaultConfig): void {
    this.cfg = structuredClone(config);
    this.stallOrigin = Date.now();
  }

  /** Milliseconds until the current stall window ends, 0 when not stalled. */
  stallRemainingMs(now = Date.now()): number {
    const s = this.cfg.stall;
    if (!s || s.forMs <= 0) return 0;
    const elapsed = now - this.stallOrigin;
    if (elapsed < s.everyMs) return 0;
    const into = elapsed % s.everyMs;
    return into < s.forMs ? s.forMs - into : 0;
  }

  latencyMs(kind: FaultKind): number {
    const d: Distribution | null | undefined =
      kind === 'login' && this.cfg.login?.latency !== undefined ? this.cfg.login.latency : this.cfg.latency;
    return d ? Math.max(0, sample(d, this.rng)) : 0;
  }

  /** True when this request should be answered 500 INJECTED_FAULT. */
  injectError(kind: FaultKind): boolean {
    const rate = kind === 'login' && this.cfg.login?.errorRate !== undefined ? this.cfg.login.errorRate : this.cfg.errorRate;
    return rate !== undefined && rate > 0 && this.rng() < rate;
  }

  /** The in-flight cap of this kind of request, or null. */
  cap(kind: 'login' | 'upload'): number | null {
    const c = kind === 'login' ? this.cfg.login?.maxInFlight : this.cfg.maxInFlightUploads;
    return c ?? null;
  }

  get retryAfterS(): number {
    return this.cfg.retryAfterS ?? 1;
  }
}
