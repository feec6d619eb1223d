/**
 * Runs N segments of one plan in N worker threads and merges their results exactly. The
 * parent only relays progress (summed) and SIGINT; every measurement happens in a worker.
 */
import { Worker } from 'node:worker_threads';
import type { ResultV1 } from '../../src/result/types.js';
import type { ProgressSnapshot } from '../progress.js';
import type { FromWorker, WorkerJob } from './protocol.js';

function spawn(job: WorkerJob): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./run-worker.js', import.meta.url), { workerData: job });
  return new Worker(new URL('./bootstrap.mjs', import.meta.url), { workerData: job });
}

export interface WorkerRunOptions {
  jobs: WorkerJob[];
  signal?: AbortSignal;
  onProgress?: (p: ProgressSnapshot) => void;
  /** Acknowledged uploads from the workers (jobs with `receipts: true`): NDJSON lines. */
  onReceipts?: (lines: string, count: number) => void;
}

/** Sums the workers' latest snapshots into one (rates add, p99 is the worst worker's). */
export function sumSnapshots(s: readonly ProgressSnapshot[]): ProgressSnapshot {
  const first = s[0];
  const add = (k: 'completed' | 'total' | 'offeredPerS' | 'achievedPerS' | 'errors' | 'requests' | 'dropped' | 'inFlight'): number =>
    s.reduce((a, x) => a + x[k], 0);
  return {
    ...first,
    completed: add('completed'), total: add('total'), offeredPerS: add('offeredPerS'), achievedPerS: add('achievedPerS'),
    errors: add('errors'), requests: add('requests'), dropped: add('dropped'), inFlight: add('inFlight'),
    p99Ms: Math.max(...s.map((x) => x.p99Ms)),
  };
}

export async function runWorkers(o: WorkerRunOptions): Promise<ResultV1[]> {
  const latest: Array<ProgressSnapshot | null> = o.jobs.map(() => null);
  const workers = o.jobs.map(spawn);
  const onAbort = (): void => { for (const w of workers) w.postMessage({ type: 'abort' }); };
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await Promise.all(workers.map((w, i) => new Promise<ResultV1>((resolve, reject) => {
      let settled = false;
      w.on('message', (m: FromWorker) => {
        if (m.type === 'progress') {
          latest[i] = m.snapshot;
          if (o.onProgress && latest.every((x) => x !== null)) o.onProgress(sumSnapshots(latest as ProgressSnapshot[]));
        } else if (m.type === 'receipts') {
          o.onReceipts?.(m.lines, m.count);
        } else if (m.type === 'result') {
          settled = true;
          resolve(m.result);
        } else {
          settled = true;
          reject(Object.assign(new Error(`worker ${i + 1}: ${m.message}`), { exitCode: m.exitCode }));
        }
      });
      w.once('error', (e) => { settled = true; reject(e); });
      w.once('exit', (code) => { if (!settled) reject(new Error(`worker ${i + 1} exited with code ${code} without a result`)); });
    })));
  } catch (e) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw e;
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
  }
}
