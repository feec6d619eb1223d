/**
 * Runs the mock server in a worker thread: embedded in `ujibeban run` and `probe`, so that the
 * load generator's event loop never serves the requests it is timing, and under
 * `ujibeban server`, so that the server's heap gets the young-generation size that suits it
 * (young-generation.ts: a worker's resourceLimits set it, a main thread's only from node's
 * command line). Works from the TypeScript sources (tsx, vitest) and from compiled dist/
 * (see spawn-worker.ts).
 */
import { randomBytes } from 'node:crypto';
import { spawnWorker } from './spawn-worker.js';
import type { ServerOptions } from './options.js';
import { MOCK_YOUNG_GENERATION_MB } from './young-generation.js';

export interface EmbeddedServer {
  url: string;
  adminToken: string;
  /** TPS in the server's hierarchy and its database file (as resolved), for a banner. */
  totalTps: number;
  db: string;
  /** The young generation V8 gave the server's thread (MB), as the worker reports it. */
  youngGenerationMb: number;
  /**
   * Settles when the server's thread ends, after close() or not: with its error if it died of
   * one (an exception nothing caught), else null. `ujibeban server` exits on it.
   */
  ended: Promise<Error | null>;
  close(): Promise<void>;
}

export type WorkerMessage =
  | { type: 'ready'; url: string; totalTps: number; db: string }
  | { type: 'error'; message: string }
  | { type: 'closed' };

export interface EmbeddedOptions extends ServerOptions {
  /** Interface to listen on (default 127.0.0.1; the caller checks anything else). */
  host?: string;
  /** Port; 0 (default) picks a free one. */
  port?: number;
  /** The server thread's young generation in MB (default MOCK_YOUNG_GENERATION_MB). */
  youngGenerationMb?: number;
}

export function startEmbeddedServer(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const adminToken = options.adminToken ?? randomBytes(16).toString('hex');
  const { youngGenerationMb = MOCK_YOUNG_GENERATION_MB, ...rest } = options;
  const worker = spawnWorker('./embedded-worker', import.meta.url, { ...rest, adminToken }, { maxYoungGenerationSizeMb: youngGenerationMb });
  let closing: Promise<void> | null = null;

  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      const done = (): void => resolve();
      worker.once('exit', done);
      worker.postMessage({ type: 'close' });
      // A worker that does not drain in time is stopped (bounded shutdown).
      setTimeout(() => void worker.terminate().then(done), 15_000).unref();
    });
    return closing;
  };

  return new Promise((resolve, reject) => {
    const onExit = (code: number): void => reject(new Error(`mock server worker exited with code ${code} before listening`));
    worker.once('error', reject);
    worker.once('exit', onExit);
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'ready') {
        worker.off('exit', onExit);
        worker.off('error', reject);
        let failure: Error | null = null;
        worker.on('error', (e) => { failure = e; });
        const ended = new Promise<Error | null>((done) => worker.once('exit', () => done(failure)));
        const youngGenerationMb = worker.resourceLimits?.maxYoungGenerationSizeMb ?? NaN;
        resolve({ url: m.url, adminToken, totalTps: m.totalTps, db: m.db, youngGenerationMb, ended, close });
      } else if (m.type === 'error') {
        reject(new Error(`mock server failed to start: ${m.message}`));
        void worker.terminate();
      }
    });
  });
}
