/**
 * Where closed intervals' encoded histograms go during a run. In memory (tests, the warm-up,
 * callers that want `result.histograms.intervals` as an array) or spilled to a temporary
 * NDJSON file (one compact JSON object per interval, appended through a write stream), so a
 * long run holds only the stream's small write buffer instead of ~40k base64 strings for an
 * 11-hour run. The file is read back once, when result.json is written (see result-file.ts),
 * and removed then; on an error path its owner calls dispose(), and a process that exits
 * without either (a second Ctrl-C) removes it in an 'exit' hook. A process killed outright
 * (SIGKILL, a default SIGTERM) cannot: its folder carries its pid, and the next spill created
 * in the same parent folder removes the folders of processes that no longer exist.
 */
import { createReadStream, createWriteStream, mkdtempSync, readdirSync, rmSync, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export type IntervalHistograms = Record<string, string>;

const PREFIX = 'ujibeban-intervals-';

/** Removes `<parent>/ujibeban-intervals-<pid>-*` folders whose process is gone; never throws. */
export function removeStaleSpills(parent: string): string[] {
  const removed: string[] = [];
  let names: string[];
  try { names = readdirSync(parent); } catch { return removed; }
  for (const name of names) {
    const m = /^ujibeban-intervals-(\d+)-/.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || processExists(pid)) continue;
    try { rmSync(join(parent, name), { recursive: true, force: true }); removed.push(name); } catch { /* not ours to fight over */ }
  }
  return removed;
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH'; // EPERM: alive, someone else's
  }
}

/** Spill of one run's interval histograms to `<dir>/ujibeban-intervals-<pid>-XXXXXX/intervals.ndjson`. */
export class IntervalSpill {
  readonly dir: string;
  readonly path: string;
  private out: WriteStream | null;
  private count = 0;
  private error: Error | null = null;
  private closed: Promise<void> | null = null;
  private disposed = false;
  private readonly onExit = (): void => { this.removeSync(); };

  constructor(parent: string = tmpdir()) {
    removeStaleSpills(parent);
    this.dir = mkdtempSync(join(parent, `${PREFIX}${process.pid}-`));
    this.path = join(this.dir, 'intervals.ndjson');
    // Buffered appends: write() queues the line and libuv writes it on its thread pool.
    this.out = createWriteStream(this.path, { flags: 'w' });
    this.out.on('error', (e) => { this.error ??= e; });
    process.on('exit', this.onExit);
  }

  get length(): number { return this.count; }

  /** Bytes queued and not yet written (the spill's in-memory footprint). */
  get pendingBytes(): number { return this.out?.writableLength ?? 0; }

  push(h: IntervalHistograms): void {
    if (!this.out || this.closed) throw new Error('interval spill: push after close');
    this.out.write(`${JSON.stringify(h)}\n`);
    this.count++;
  }

  /** Ends the appends and waits until every line is on disk; idempotent. */
  close(): Promise<void> {
    this.closed ??= new Promise<void>((resolve, reject) => {
      const out = this.out!;
      if (this.error) { reject(this.error); return; }
      out.once('error', reject);
      out.end(() => { if (this.error) reject(this.error); else resolve(); });
    });
    return this.closed;
  }

  /** The intervals in order, read back one line at a time (after close()). */
  async *entries(): AsyncGenerator<IntervalHistograms> {
    await this.close();
    if (this.disposed) throw new Error('interval spill: read after dispose');
    const lines = createInterface({ input: createReadStream(this.path, { encoding: 'utf8' }), crlfDelay: Infinity });
    let n = 0;
    for await (const line of lines) {
      if (line === '') continue;
      n++;
      yield JSON.parse(line) as IntervalHistograms;
    }
    if (n !== this.count) throw new Error(`interval spill ${this.path}: read ${n} intervals, wrote ${this.count}`);
  }

  /** All intervals as one array (for in-process consumers: a worker posting its result). */
  async readAll(): Promise<IntervalHistograms[]> {
    const out: IntervalHistograms[] = [];
    for await (const h of this.entries()) out.push(h);
    return out;
  }

  /** Removes the file and its folder; idempotent, never throws. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    process.off('exit', this.onExit);
    const out = this.out;
    if (out && !out.closed) {
      await new Promise<void>((r) => { out.once('close', () => r()); out.destroy(); });
    }
    this.out = null;
    await rm(this.dir, { recursive: true, force: true }).catch(() => undefined);
  }

  private removeSync(): void {
    try { rmSync(this.dir, { recursive: true, force: true }); } catch { /* exiting anyway */ }
  }
}
