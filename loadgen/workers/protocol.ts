/**
 * Messages between `run --workers N` and its worker threads: each worker runs one segment
 * k/N of the plan on its own event loop (a busy loop delays arrivals; N loops on N cores do
 * not share the delay), and the parent merges the N results exactly (src/report/merge.ts).
 */
import type { ResultV1 } from '../../src/result/types.js';
import type { ProgressSnapshot } from '../progress.js';

export interface WorkerJob {
  scenarioArg: string;
  load: { set: string[]; scale?: number; seed?: number; timeScale?: number };
  segment: { index: number; count: number };
  targetUrl: string;
  targetProfile: string | null;
  pinSecret: string;
  embeddedServer: boolean;
  /** Wall-clock ms at which every worker starts its t = 0. */
  startAtMs: number;
  /** Post acknowledged uploads to the parent (`run --receipts`), which writes the one file. */
  receipts?: boolean;
}

export type ToWorker = { type: 'abort' };

export type FromWorker =
  | { type: 'progress'; snapshot: ProgressSnapshot }
  | { type: 'receipts'; lines: string; count: number }
  | { type: 'result'; result: ResultV1 }
  | { type: 'error'; message: string; exitCode: number };
