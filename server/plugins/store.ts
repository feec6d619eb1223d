/**
 * The storage concern as a plugin: opens the SQLite file, rebuilds the in-memory region
 * counters from it (store/counters.ts), exposes the group-committed upload writer, the
 * counters and the read queries, and on close commits what is queued and closes the file.
 * Each committed batch moves the counters before its uploads are acknowledged.
 *
 * Writers: batches are committed on the event loop (store/group-commit.ts), or with the
 * commitThread option on a file by a writer thread (store/threaded-commit.ts), so fsync never
 * blocks the HTTP event loop; this thread then keeps a connection of its own for reads (WAL
 * lets them run beside the writer). On the loop is the default: on a 2-core machine the
 * hand-off cost more CPU than the fsync wait it saved (options.ts). groupCommit: false is
 * the one-commit-per-upload baseline.
 */
import { contestsIn } from '../../src/domain/index.js';
import { RegionCounterStore } from '../store/counters.js';
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
  /** Region counters and tallies of what is committed. */
  counters: RegionCounterStore;
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
  const held = new Map<string, number>();
  const contestsAt = (tps: string): number => {
    const kab = tps.slice(0, 4);
    let n = held.get(kab);
    if (n === undefined) held.set(kab, (n = contestsIn(options.election, kab).length));
    return n;
  };
  let counters: RegionCounterStore;
  try {
    counters = RegionCounterStore.rebuild(db, contestsAt);
  } catch (e) {
    db.close();
    throw e;
  }
  let uploads: UploadWriter;
  if (options.groupCommit && options.commitThread && options.db !== ':memory:') {
    try {
      uploads = await ThreadedCommitter.start(options.db, identity, options.durability, {
        windowMs: options.commitWindowMs, maxBatch: options.commitMaxBatch, onBatch,
        onCommit: (deltas) => counters.apply(deltas),
      });
    } catch (e) {
      db.close();
      throw e;
    }
  } else {
    const applier = makeUploadApplier(db);
    uploads = new GroupCommitter(db, (ops: UploadOp[]) => applier.apply(ops), {
      windowMs: options.commitWindowMs, maxBatch: options.commitMaxBatch, enabled: options.groupCommit, onBatch,
      afterCommit: () => counters.apply(applier.takeDeltas()),
    });
  }
  app.decorate('store', { db, uploads, counters, queries: new Queries(db) });
  // onClose runs after the server stopped accepting and in-flight requests finished.
  app.addHook('onClose', async () => {
    await uploads.close();
    db.close();
  });
}, 'ujibeban-store');
