/**
 * Starts a worker thread from a module next to the caller, from the TypeScript sources
 * (through ts-worker-bootstrap.mjs and tsx) or from compiled dist/ (the .js file itself).
 */
import { Worker, type ResourceLimits } from 'node:worker_threads';

/** `relative` without extension, e.g. './store/writer-worker', resolved against `base` (import.meta.url). */
export function spawnWorker(
  relative: string, base: string, workerData: Record<string, unknown>, resourceLimits?: ResourceLimits,
): Worker {
  if (!base.endsWith('.ts')) return new Worker(new URL(`${relative}.js`, base), { workerData, resourceLimits });
  const entry = new URL(`${relative}.ts`, base).href;
  return new Worker(new URL('./ts-worker-bootstrap.mjs', import.meta.url), { workerData: { ...workerData, __entry: entry }, resourceLimits });
}
