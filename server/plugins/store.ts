/**
 * The storage concern as a plugin: opens the SQLite file, exposes the group-committed upload
 * writer and the read queries, and on close commits what is queued and closes the file.
 */
import { openDb, type Db } from '../store/db.js';
import { GroupCommitter } from '../store/group-commit.js';
import { Queries } from '../store/queries.js';
import { makeUploadApplier, type UploadOp, type UploadResult } from '../store/uploads.js';
import { sharedPlugin } from '../shared-plugin.js';

export interface Store {
  db: Db;
  uploads: GroupCommitter<UploadOp, UploadResult>;
  queries: Queries;
}

declare module 'fastify' {
  interface FastifyInstance {
    store: Store;
  }
}

export const storePlugin = sharedPlugin(async (app) => {
  const { options } = app.ctx;
  const db = openDb(options.db, {
    election: options.election, scale: options.scale, seed: options.seed, regions: options.regions,
  }, options.durability);
  const uploads = new GroupCommitter(db, makeUploadApplier(db), {
    windowMs: options.commitWindowMs,
    maxBatch: options.commitMaxBatch,
    enabled: options.groupCommit,
    onBatch: (n) => app.metrics.batchSize.observe(n),
  });
  app.decorate('store', { db, uploads, queries: new Queries(db) });
  // onClose runs after the server stopped accepting and in-flight requests finished.
  app.addHook('onClose', async () => {
    uploads.close();
    db.close();
  });
}, 'ujibeban-store');
