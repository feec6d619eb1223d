/**
 * The verdict: goodput first (completion checkpoints), then latency and error thresholds.
 * Shared by the run engine and `merge`, so a result is judged the same way wherever it is made.
 */
import type { CheckpointResult, ResultV1, ThresholdResult } from '../result/types.js';
import { pct, thresholdValue } from './format.js';

/** Share completed, and whether it meets the target (a tiny epsilon absorbs 0.8 * 270 rounding). */
export function judgeCheckpoint(completed: number, total: number, target: number): { achieved: number; pass: boolean } {
  const achieved = total > 0 ? completed / total : 0;
  return { achieved, pass: achieved + 1e-12 >= target };
}

export function checkpointFailure(c: CheckpointResult): string {
  return `checkpoint ${c.at}: ${pct(c.achieved)} of TPS completed (${c.completed}/${c.total}), target ${pct(c.target)}`;
}

export function thresholdFailure(t: ThresholdResult): string {
  return `threshold ${t.metric} ${t.expr}: observed ${thresholdValue(t.expr, t.value)}`;
}

export interface VerdictOptions {
  /** A partial result (interrupted run, missing segment) cannot pass. Default true. */
  partialFails?: boolean;
}

/** Sets `pass` and `failures` from the checkpoints and thresholds already in the result. */
export function computeVerdict<T extends Pick<ResultV1, 'checkpoints' | 'thresholds' | 'partial' | 'pass' | 'failures'>>(
  result: T,
  options: VerdictOptions = {},
): T {
  const failures = [
    ...result.checkpoints.filter((c) => !c.pass).map(checkpointFailure),
    ...result.thresholds.filter((t) => !t.pass).map(thresholdFailure),
  ];
  if (result.partial && (options.partialFails ?? true)) {
    failures.push('partial result: the run was interrupted or a segment is missing');
  }
  result.failures = failures;
  result.pass = failures.length === 0;
  return result;
}
