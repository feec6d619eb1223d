// Worker entry used only when running from the TypeScript sources (tsx, vitest): registers
// tsx's loader inside the worker thread, then loads the real entry, run-worker.ts.
import { register } from 'tsx/esm/api';

register();
await import(new URL('./run-worker.ts', import.meta.url).href);
