/**
 * sha256 of photo pages, on the event loop or on a hashing thread. Which one the caller says
 * (PageHasher's onThread; read-parts.ts decides per upload from its declared size, the
 * server option hashThreadAbove, default 256 KiB). Inline, a page is hashed chunk by chunk as it
 * arrives, with no copy. Measured in issue 5 on this 2-core machine (bench/server-ingest.ts, the
 * client on the other core, interleaved runs after 2,000 warm-up uploads): the thread cost more
 * server CPU per upload than it took off the event loop at 150 KB pages (thread 716 / 1,103 µs,
 * inline 514 / 737), about the same at 50 KB, and less at 500 KB (thread 1,080 / 1,392, inline
 * 1,655 / 1,859). The copy into the shared ring runs through cold memory (64 MB) and a
 * message and a wake-up follow; for small pages that costs more than hashing the hot chunk.
 *
 * The hashing thread: a page's bytes go to one hashing thread, shared by every server in the
 * process, and the digest comes back when the page ends.
 *
 * The bytes travel through a shared ring buffer (RING_BYTES): the event loop copies each chunk
 * in and notes its place; the places noted (of every page, in the order written) go to the
 * thread in one small message within FLUSH_MS of a page end (or once FLUSH_BYTES wait), and
 * the thread hashes them in that order and gives the space back (so the ring frees in the order
 * it fills). Few messages, not one per chunk: each may wake the thread, a context switch that a
 * busy 2-core machine pays for on the event loop's core. When the ring is full
 * (the thread behind by 64 MB: the memory this takes, touched as used), chunks travel in
 * messages instead (a copy each, slower, still in order). A 16 MB ring filled at 32 uploads of
 * 500 KB on this busy machine and cost the event loop ~40% more CPU per upload than 64 MB.
 *
 * The thread is started on first use and is unref'd while it owes no digest; if it dies, the
 * pages it held fail (500) and the next page starts a new one.
 */
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';

/** The shared ring (a power of two: positions are uint32 counters taken modulo its size). */
export const RING_BYTES = 64 * 1024 * 1024;
/** Ring bytes noted but not yet posted that make a message go without waiting for a page end. */
const FLUSH_BYTES = 1024 * 1024;
/** How long a page end may wait for others to share its message (ms; the group-commit window is 2). */
const FLUSH_MS = 1;

// Plain JS (eval): starts in a few ms, needs no TypeScript loader.
// Messages: {ops: [id, off, len, ...]} in order: off >= 0 bytes in the ring (released once
// hashed), off -1 digest wanted, off -2 forget the page; {id, chunk} bytes carried.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const ring = Buffer.from(workerData.ring);
const released = new Int32Array(workerData.released);
const open = new Map();
const hashOf = (id) => {
  let h = open.get(id);
  if (!h) open.set(id, (h = createHash('sha256')));
  return h;
};
parentPort.on('message', (m) => {
  if (m.chunk) { hashOf(m.id).update(m.chunk); return; }
  const ops = m.ops;
  for (let i = 0; i < ops.length; i += 3) {
    const id = ops[i], off = ops[i + 1], len = ops[i + 2];
    if (off >= 0) {
      hashOf(id).update(ring.subarray(off, off + len));
      Atomics.add(released, 0, len);
    } else if (off === -1) {
      const h = hashOf(id);
      open.delete(id);
      parentPort.postMessage({ id, sha256: h.digest('hex') });
    } else {
      open.delete(id);
    }
  }
});
`;

const END = -1;
const ABORT = -2;

interface Waiter { resolve: (hex: string) => void; reject: (e: Error) => void }

class HashThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiter>();
  private ring!: Buffer;
  private released!: Int32Array;
  /** Bytes written into the ring so far (uint32, wrapping). */
  private head = 0;
  /** Operations noted this turn, posted together: [id, off, len, ...]. */
  private ops: number[] = [];
  private opsBytes = 0;
  private flushing = false;
  /** Which thread: a page begun on a thread that has since died must not finish on the next. */
  generation = 0;

  private get w(): Worker {
    if (this.worker) return this.worker;
    this.generation++;
    // A fresh ring per thread: a dead thread's unreleased bytes are not waited for.
    const ring = new SharedArrayBuffer(RING_BYTES);
    const released = new SharedArrayBuffer(4);
    this.ring = Buffer.from(ring);
    this.released = new Int32Array(released);
    this.head = 0;
    this.ops = [];
    this.opsBytes = 0;
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { ring, released } });
    w.unref();
    w.on('message', (m: { id: number; sha256: string }) => {
      const waiter = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if (this.waiting.size === 0) w.unref();
      waiter?.resolve(m.sha256);
    });
    const fail = (e: Error): void => {
      if (this.worker === w) this.worker = null;
      const all = [...this.waiting.values()];
      this.waiting.clear();
      for (const x of all) x.reject(new Error(`photo hashing thread failed: ${e.message}`));
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`exited with code ${code}`)));
    this.worker = w;
    return w;
  }

  /** A new page id, on the current thread (started if need be). */
  id(): number {
    void this.w;
    return this.nextId++;
  }

  private note(id: number, off: number, len: number): void {
    this.ops.push(id, off, len);
    this.opsBytes += len;
    // Bytes alone wait for a page end (or FLUSH_BYTES); page ends go within FLUSH_MS, together.
    if (this.flushing || (off >= 0 && this.opsBytes < FLUSH_BYTES)) return;
    this.flushing = true;
    if (this.opsBytes >= FLUSH_BYTES) setImmediate(() => this.flush());
    else setTimeout(() => this.flush(), FLUSH_MS);
  }

  private flush(): void {
    this.flushing = false;
    if (this.ops.length === 0 || !this.worker) return;
    const ops = this.ops;
    this.ops = [];
    this.opsBytes = 0;
    this.worker.postMessage({ ops });
  }

  update(id: number, chunk: Buffer): void {
    const w = this.w;
    const used = (this.head - (Atomics.load(this.released, 0) >>> 0)) >>> 0;
    if (RING_BYTES - used < chunk.length) {
      // The thread is behind by a whole ring: carry the bytes in a message (slower, still in order).
      this.flush();
      w.postMessage({ id, chunk: Buffer.from(chunk) });
      return;
    }
    let rest = chunk;
    while (rest.length > 0) {
      const off = this.head % RING_BYTES;
      const n = Math.min(rest.length, RING_BYTES - off);
      rest.copy(this.ring, off, 0, n);
      this.note(id, off, n);
      this.head = (this.head + n) >>> 0;
      rest = rest.subarray(n);
    }
  }

  end(id: number): Promise<string> {
    const w = this.w;
    return new Promise<string>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      // While digests are owed, the thread keeps the process alive (a result never gets lost).
      w.ref();
      this.note(id, END, 0);
    });
  }

  abort(id: number): void {
    if (this.worker) this.note(id, ABORT, 0);
  }
}

const thread = new HashThread();

/**
 * The sha256 of one page, fed chunk by chunk: on this thread as the chunks arrive (no copy),
 * or with `onThread`, every byte streamed to the hashing thread (read-parts.ts chooses per
 * upload from its declared size).
 */
export class PageHasher {
  private id = 0;
  private generation = 0;
  /** Inline: the running hash. */
  private hash: ReturnType<typeof createHash> | null = null;

  constructor(private readonly onThread = false) {}

  private check(): void {
    if (thread.generation !== this.generation) throw new Error('photo hashing thread restarted during the page');
  }

  update(chunk: Buffer): void {
    if (!this.onThread) {
      (this.hash ??= createHash('sha256')).update(chunk);
      return;
    }
    if (this.id === 0) {
      this.id = thread.id();
      this.generation = thread.generation;
    }
    this.check();
    thread.update(this.id, chunk);
  }

  /** The digest (hex); call once. Inline it is there at once: no promise, no turn of the event loop. */
  digest(): string | Promise<string> {
    if (!this.onThread || this.id === 0) {
      const h = this.hash ?? createHash('sha256'); // id 0 on the thread: an empty page
      this.hash = null;
      return h.digest('hex');
    }
    const id = this.id;
    this.id = -1; // done: nothing to abort
    try {
      this.check();
    } catch (e) {
      return Promise.reject(e);
    }
    return thread.end(id);
  }

  /** The page was refused half way: drop its state in the thread. */
  abort(): void {
    if (this.id > 0) thread.abort(this.id);
    this.id = -1;
    this.hash = null;
  }
}
