/** Worker-thread entry of startEmbeddedServer: builds the server, listens, closes on request. */
import { parentPort, workerData } from 'node:worker_threads';
import { buildServer } from './app.js';
import type { EmbeddedOptions, WorkerMessage } from './embedded.js';

const port = parentPort!;
const post = (m: WorkerMessage): void => port.postMessage(m);

try {
  const { host = '127.0.0.1', port: listenPort, __entry: _entry, ...options } = workerData as EmbeddedOptions & { __entry?: string };
  const app = await buildServer(options);
  await app.listen({ host, port: listenPort ?? 0 });
  const addr = app.server.address();
  const actual = typeof addr === 'object' && addr ? addr.port : 0;
  port.on('message', (m: { type: string }) => {
    if (m.type !== 'close') return;
    void app.close().then(() => {
      post({ type: 'closed' });
      port.close();
    });
  });
  const shown = host.includes(':') ? `[${host}]` : host;
  post({ type: 'ready', url: `http://${shown}:${actual}`, totalTps: app.ctx.hierarchy.totalTps, db: app.ctx.options.db });
} catch (e) {
  post({ type: 'error', message: (e as Error).message });
}
