/**
 * What every session of a run shares: the connection pool, the target profile, the recorder
 * and the scenario's officer settings, resolved once so the hot path only reads fields.
 */
import type { Hierarchy, PhotoPool } from '../src/domain/index.js';
import type { OfficerConfig, Scenario } from '../src/scenario/types.js';
import type { ProfileContext, TargetProfile, Verdict } from './profile.js';
import type { Transport } from './http/transport.js';
import type { HttpResult } from './http/types.js';
import type { Recorder } from './record/recorder.js';
import type { ReceiptSink } from './receipts.js';

export interface EngineContext {
  pool: Transport;
  profile: TargetProfile;
  pctx: ProfileContext;
  scenario: Scenario;
  officers: OfficerConfig;
  hierarchy: Hierarchy;
  recorder: Recorder;
  photos: PhotoPool;
  seed: number;
  /** Simulated seconds per real second: think time is divided by it. */
  timeScale: number;
  classify(step: 'login' | 'upload' | 'read', res: HttpResult): Verdict;
  /** Province index (hierarchy.provinces() order) of a TPS index. */
  provinceIndexOf(tps: number): number;
  /** Set when the run stops (SIGINT or drain over): sessions stop at their next step. */
  stopping: boolean;
  /** Aborted with `stopping`: wakes sessions sleeping on think time or backoff. */
  stop: AbortSignal;
  /** Where acknowledged uploads are written (`run --receipts`), or null. */
  receipts: ReceiptSink | null;
  /** Upload hits reuse tokens per TPS (bounded). */
  tokens: Map<string, string>;
}

/** Province index lookup by binary search over the provinces' first TPS index. */
export function provinceIndexer(h: Hierarchy): (tps: number) => number {
  const starts = Int32Array.from(h.provinces().map((p) => p.tpsStart));
  return (tps: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= tps) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
}
