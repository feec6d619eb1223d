/**
 * The database writer thread: applies batches of uploads in one transaction each and answers
 * with their results. With synchronous=FULL a commit waits for fsync (~2 ms here); in this
 * thread that wait no longer stops the HTTP event loop from reading the next bodies.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDb, type DbIdentity, type Durability } from './db.js';
import { makeUploadApplier, type UploadOp, type UploadResult } from './uploads.js';

export type WriterRequest = { type: 'batch'; id: number; ops: UploadOp[] } | { type: 'close' };
export type WriterReply =
  | { type: 'ready' }
  | { type: 'done'; id: number; results: UploadResult[] }
  | { type: 'failed'; id: number; message: string }
  | { type: 'closed' };

const port = parentPort!;
const { file, identity, durability } = workerData as { file: string; identity: DbIdentity; durability: Durability };
const db = openDb(file, identity, durability);
const run = db.transaction(makeUploadApplier(db));
const post = (m: WriterReply): void => port.postMessage(m);

port.on('message', (m: WriterRequest) => {
  if (m.type === 'close') {
    db.close();
    post({ type: 'closed' });
    port.close();
    return;
  }
  try {
    post({ type: 'done', id: m.id, results: run(m.ops) });
  } catch (e) {
    post({ type: 'failed', id: m.id, message: (e as Error).message });
  }
});
post({ type: 'ready' });
