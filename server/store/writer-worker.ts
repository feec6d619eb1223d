/**
 * The database writer thread: applies batches of uploads in one transaction each and answers
 * with their results. With synchronous=FULL a commit waits for fsync (~2 ms here); in this
 * thread that wait no longer stops the HTTP event loop from reading the next bodies. A reply
 * 'done' carries the batch's counter deltas (counters.ts): sent only once the batch committed.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { CounterDelta } from './counters.js';
import { openDb, type DbIdentity, type Durability } from './db.js';
import { makeUploadApplier, type UploadOp, type UploadResult } from './uploads.js';

export type WriterRequest = { type: 'batch'; id: number; ops: UploadOp[] } | { type: 'close' };
export type WriterReply =
  | { type: 'ready' }
  | { type: 'done'; id: number; results: UploadResult[]; deltas: CounterDelta[] }
  | { type: 'failed'; id: number; message: string }
  | { type: 'closed' };

const port = parentPort!;
const { file, identity, durability } = workerData as { file: string; identity: DbIdentity; durability: Durability };
const db = openDb(file, identity, durability);
const applier = makeUploadApplier(db);
const run = db.transaction((ops: UploadOp[]) => applier.apply(ops));
const post = (m: WriterReply): void => port.postMessage(m);

port.on('message', (m: WriterRequest) => {
  if (m.type === 'close') {
    db.close();
    post({ type: 'closed' });
    port.close();
    return;
  }
  try {
    const results = run(m.ops);
    post({ type: 'done', id: m.id, results, deltas: applier.takeDeltas() });
  } catch (e) {
    post({ type: 'failed', id: m.id, message: (e as Error).message });
  }
});
post({ type: 'ready' });
