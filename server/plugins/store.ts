/**
 * The storage concern as a plugin: opens the SQLite file, exposes the group-committed upload
 * writer and the read queries, and on close commits what is queued and closes the file.
 *
 * Writers: with group commit on a file, batches are committed by a writer thread
 * (store/threaded-commit.ts), so fsync never blocks the HTTP event loop; this thread keeps a
 * connection of its own for reads (WAL lets them run beside the writer). With ':memory:' (one
 * connection only) or groupCommit: false (the one-commit-per-upload baseline), commits run
 * in this thread (store/group-commit.ts).
 */
import { openDb, type Db } from '../store/db.js';
import { GroupCommitter } from '../store/group-commit.js';
import { Queries } from '../store/queries.js';
import { ThreadedCommitter } from '../store/threaded-commit.js';
import { makeUploadApplier, type UploadOp, type UploadResult } from '../store/uploads.js';
import { sharedPlugin } from '../shared-plugin.js';

export interface UploadWriter {
  submit(op: UploadOp): Promise<UploadResult>;
  close(): Promise<void> | void;
}

export interface Store {
  db: Db;
  uploads: UploadWriter;
  queries: Queries;
}

declare module 'fastify' {
  interface FastifyInstance {
    store: Store;
  }
}

export const storePlugin = sharedPlugin(async (app) => {
  const { options } = app.ctx;
  const identity = { election: options.election, scale: options.scale, seed: options.seed, regions: options.regions };
  const db = openDb(options.db, identity, options.durability);
  const onBatch = (n: number): void => app.metrics.batchSize.observe(n);
  let uploads: UploadWriter;
  if (options.groupCommit && options.db !== ':memory:') {
    try {
      uploads = await ThreadedCommitter.start(options.db, identity, options.durability, {
        windowMs: options.commitWindowMs, maxBatch: options.commitMaxBatch, onBatch,
      });
    } catch (e) {
      db.close();
      throw e;
    }
  } else {
    uploads = new GroupCommitter(db, makeUploadApplier(db), {
      windowMs: options.commitWindowMs, maxBatch: options.commitMaxBatch, enabled: options.groupCommit, onBatch,
    });
  }
  app.decorate('store', { db, uploads, queries: new Queries(db) });
  // onClose runs after the server stopped accepting and in-flight requests finished.
  app.addHook('onClose', async () => {
    await uploads.close();
    db.close();
  });
}, 'ujibeban-store');
