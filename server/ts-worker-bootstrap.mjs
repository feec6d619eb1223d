// Worker entry used only when running from the TypeScript sources (tsx, vitest): registers
// tsx's loader inside the worker thread (on Node 20, `execArgv: ['--import', 'tsx']` does not
// apply to a worker's main module), then loads the real entry named in workerData.__entry.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.__entry);
