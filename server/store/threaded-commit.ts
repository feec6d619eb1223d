/**
 * Group commit through the writer thread: uploads queue here; one batch at a time goes to the
 * writer, and whatever queued while it was committing forms the next batch (so batches grow
 * with load, with no fixed wait beyond the first window). Each caller's promise settles after
 * its batch is on disk, and after the batch's counter deltas went to `onCommit` (the in-memory
 * counters: moved only by batches that committed). Same interface as GroupCommitter.
 */
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../spawn-worker.js';
import type { CounterDelta } from './counters.js';
import type { DbIdentity, Durability } from './db.js';
import type { UploadOp, UploadResult } from './uploads.js';
import type { WriterReply, WriterRequest } from './writer-worker.js';

interface Pending { op: UploadOp; resolve: (r: UploadResult) => void; reject: (e: unknown) => void }

export interface ThreadedCommitOptions {
  windowMs: number;
  maxBatch: number;
  onBatch?: (size: number) => void;
  /** The counter deltas of each committed batch, before its promises settle. */
  onCommit?: (deltas: CounterDelta[]) => void;
}

export class ThreadedCommitter {
  private queue: Pending[] = [];
  private inFlight: Pending[] | null = null;
  private timer: NodeJS.Timeout | null = null;
  private nextId = 1;
  private closed = false;
  private idle: Array<() => void> = [];

  private constructor(private readonly worker: Worker, private readonly opts: ThreadedCommitOptions) {
    worker.on('message', (m: WriterReply) => this.onReply(m));
    worker.on('error', (e) => this.failAll(e));
  }

  static async start(file: string, identity: DbIdentity, durability: Durability, opts: ThreadedCommitOptions): Promise<ThreadedCommitter> {
    const worker = spawnWorker('./writer-worker', import.meta.url, { file, identity, durability });
    await new Promise<void>((resolve, reject) => {
      const onExit = (code: number): void => reject(new Error(`database writer exited with code ${code}`));
      worker.once('error', reject);
      worker.once('exit', onExit);
      worker.once('message', (m: WriterReply) => {
        worker.off('error', reject);
        worker.off('exit', onExit);
        if (m.type === 'ready') resolve();
        else reject(new Error(`database writer: unexpected ${m.type}`));
      });
    });
    return new ThreadedCommitter(worker, opts);
  }

  submit(op: UploadOp): Promise<UploadResult> {
    if (this.closed) return Promise.reject(new Error('store closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      if (this.inFlight) return; // the next batch leaves when this one commits
      if (this.queue.length >= this.opts.maxBatch) this.send();
      else this.timer ??= setTimeout(() => this.send(), this.opts.windowMs);
    });
  }

  private send(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.inFlight || this.queue.length === 0) {
      if (!this.inFlight) this.idle.splice(0).forEach((f) => f());
      return;
    }
    const batch = this.queue.splice(0, this.opts.maxBatch);
    this.inFlight = batch;
    const msg: WriterRequest = { type: 'batch', id: this.nextId++, ops: batch.map((p) => p.op) };
    try {
      this.worker.postMessage(msg);
    } catch (e) {
      // An op that cannot be cloned (form-schema.ts bounds what reaches here): fail this batch, not the process.
      this.inFlight = null;
      for (const p of batch) p.reject(e);
      setImmediate(() => this.send());
    }
  }

  private onReply(m: WriterReply): void {
    const batch = this.inFlight;
    if (m.type === 'done' && batch) {
      this.inFlight = null;
      this.opts.onCommit?.(m.deltas);
      this.opts.onBatch?.(batch.length);
      batch.forEach((p, i) => p.resolve(m.results[i]));
    } else if (m.type === 'failed' && batch) {
      this.inFlight = null;
      const e = new Error(`commit failed: ${m.message}`);
      for (const p of batch) p.reject(e);
    } else {
      return;
    }
    this.send();
  }

  /** The writer died: fail what waits and refuse what comes (500s, never a hang). */
  private failAll(e: unknown): void {
    this.closed = true;
    for (const p of [...(this.inFlight ?? []), ...this.queue]) p.reject(e);
    this.inFlight = null;
    this.queue = [];
    this.idle.splice(0).forEach((f) => f());
  }

  /** Commits what is queued, waits for it, then stops the writer. */
  async close(): Promise<void> {
    this.closed = true;
    await new Promise<void>((resolve) => {
      this.idle.push(resolve);
      this.send();
    });
    await new Promise<void>((resolve) => {
      this.worker.once('exit', () => resolve());
      this.worker.postMessage({ type: 'close' } satisfies WriterRequest);
    });
  }
}
