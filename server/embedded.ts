/**
 * Runs the mock server in a worker thread, so that the load generator's event loop never
 * serves the requests it is timing. Works from the TypeScript sources (tsx, vitest) and from
 * compiled dist/ (see spawn-worker.ts).
 */
import { randomBytes } from 'node:crypto';
import { spawnWorker } from './spawn-worker.js';
import type { ServerOptions } from './options.js';

export interface EmbeddedServer {
  url: string;
  adminToken: string;
  close(): Promise<void>;
}

export type WorkerMessage =
  | { type: 'ready'; url: string }
  | { type: 'error'; message: string }
  | { type: 'closed' };

export interface EmbeddedOptions extends ServerOptions {
  /** Loopback port; 0 (default) picks a free one. */
  port?: number;
}

export function startEmbeddedServer(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const adminToken = options.adminToken ?? randomBytes(16).toString('hex');
  const worker = spawnWorker('./embedded-worker', import.meta.url, { ...options, adminToken });
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
        worker.on('error', () => {});
        resolve({ url: m.url, adminToken, close });
      } else if (m.type === 'error') {
        reject(new Error(`mock server failed to start: ${m.message}`));
        void worker.terminate();
      }
    });
  });
}
