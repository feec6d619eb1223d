/**
 * Group commit: operations queue up and run together in one transaction every few ms (or as
 * soon as `maxBatch` wait); each caller's promise settles only after its batch has committed,
 * so an acknowledged upload is on disk. `afterCommit` runs after each successful commit and
 * before any of its callers hears back (the in-memory counters move there, never for a batch
 * that rolled back). With `enabled: false` every operation commits alone, the baseline the
 * benchmark compares against.
 */
import type { Db } from './db.js';

export interface GroupCommitOptions {
  windowMs: number;
  maxBatch: number;
  enabled: boolean;
  /** Called after each commit with the batch size (metrics). */
  onBatch?: (size: number) => void;
  /** Called after each successful commit, before the batch's promises settle. */
  afterCommit?: () => void;
}

interface Pending<Op, R> {
  op: Op;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

export class GroupCommitter<Op, R> {
  private queue: Array<Pending<Op, R>> = [];
  private timer: { cancel(): void } | null = null;
  private closed = false;
  private readonly runBatch: (ops: Op[]) => R[];

  /** `applyBatch` runs inside the transaction and returns one result per operation, in order. */
  constructor(db: Db, applyBatch: (ops: Op[]) => R[], private readonly opts: GroupCommitOptions) {
    this.runBatch = db.transaction(applyBatch);
  }

  submit(op: Op): Promise<R> {
    if (this.closed) return Promise.reject(new Error('store closed'));
    if (!this.opts.enabled) {
      try {
        const [r] = this.runBatch([op]);
        this.opts.afterCommit?.();
        this.opts.onBatch?.(1);
        return Promise.resolve(r);
      } catch (e) {
        return Promise.reject(e);
      }
    }
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      if (this.queue.length >= this.opts.maxBatch) this.schedule(0);
      else if (!this.timer) this.schedule(this.opts.windowMs);
    });
  }

  /** ms <= 0: commit as soon as the current I/O callbacks have run (setImmediate). */
  private schedule(ms: number): void {
    this.timer?.cancel();
    if (ms <= 0) {
      const t = setImmediate(() => this.flush());
      this.timer = { cancel: () => clearImmediate(t) };
    } else {
      const t = setTimeout(() => this.flush(), ms);
      this.timer = { cancel: () => clearTimeout(t) };
    }
  }

  /** Commits everything queued now. */
  flush(): void {
    this.timer?.cancel();
    this.timer = null;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    let results: R[];
    try {
      results = this.runBatch(batch.map((p) => p.op));
    } catch (e) {
      for (const p of batch) p.reject(e);
      return;
    }
    this.opts.afterCommit?.();
    this.opts.onBatch?.(batch.length);
    batch.forEach((p, i) => p.resolve(results[i]));
  }

  /** Commits what is queued and refuses further work. */
  close(): void {
    this.flush();
    this.closed = true;
  }
}
