/**
 * Cuts request bodies that send no byte for too long, with one shared timer instead of one per
 * upload: a setTimeout per upload, a refresh per chunk and a clear at its end were a cost on
 * the hot path of every upload, to catch the rare stalled one. A watched body counts its bytes
 * (`bytes`); a sweep every quarter of the idle limit compares each count with the one it saw
 * last. A body is cut between `idleMs` and `idleMs` plus one sweep interval after its last byte
 * (the same way Node's HTTP server checks its request timeouts: one periodic check).
 */

/** One body being watched: add its byte counts to `bytes`; call `stop` when it ended. */
export interface IdleEntry {
  bytes: number;
  stop(): void;
}

class Entry implements IdleEntry {
  bytes = 0;
  /** The count the last sweep saw, and when it last changed (ms). */
  seen = 0;
  since: number;

  constructor(private readonly sweep: IdleSweep, readonly onIdle: () => void, now: number) {
    this.since = now;
  }

  stop(): void {
    this.sweep.entries.delete(this);
  }
}

class IdleSweep {
  readonly entries = new Set<Entry>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly idleMs: number) {}

  add(onIdle: () => void): IdleEntry {
    const e = new Entry(this, onIdle, Date.now());
    this.entries.add(e);
    if (!this.timer) {
      // unref: a stalled body alone keeps nothing alive (its socket does, while it is open).
      this.timer = setInterval(() => this.check(), Math.max(1, Math.floor(this.idleMs / 4)));
      this.timer.unref();
    }
    return e;
  }

  private check(): void {
    if (this.entries.size === 0) {
      clearInterval(this.timer!);
      this.timer = null;
      return;
    }
    const now = Date.now();
    for (const e of this.entries) {
      if (e.bytes !== e.seen) {
        e.seen = e.bytes;
        e.since = now;
      } else if (now - e.since >= this.idleMs) {
        this.entries.delete(e);
        e.onIdle();
      }
    }
  }
}

/** One sweep per idle limit (a server has one), shared by every body watched with it. */
const sweeps = new Map<number, IdleSweep>();

/** Watches a body: `onIdle` runs once if it sends no byte for `idleMs`, unless stopped first. */
export function watchIdle(idleMs: number, onIdle: () => void): IdleEntry {
  let s = sweeps.get(idleMs);
  if (!s) sweeps.set(idleMs, (s = new IdleSweep(idleMs)));
  return s.add(onIdle);
}
