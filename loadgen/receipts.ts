/**
 * `run --receipts FILE`: every acknowledged upload (a 2xx answer to a C1 upload) as one NDJSON
 * line, so that a crash test can check afterwards that the server still holds everything it
 * acknowledged ("acknowledged means durable"). Lines are batched in a string and written by
 * one FileHandle (at most one write in flight, flushed at 64 KB or every 200 ms, fsynced at
 * close), so memory stays bounded and the hot path only appends a short string.
 *
 * One line per 2xx upload answer, in the order the answers arrived:
 *   {"tps":"6205011001001","contest":"pkwkp","receipt":"9f1c…","version":1,"status":201,"at":1732700000123}
 * tps: 13-digit TPS code; contest: contest id; receipt: the server's receipt (null when the
 * target's answer had none); version: the stored version (1 new, 2.. corrections); status:
 * 201 new or corrected, 200 identical re-upload (same receipt as before); at: wall-clock ms
 * (Date.now()) when the answer arrived.
 */
import { open, type FileHandle } from 'node:fs/promises';

export interface ReceiptSink {
  /** Appends one acknowledged upload. */
  add(tps: string, contest: string, receipt: string | null, version: number, status: number): void;
}

/** One receipt line (without the trailing newline). */
export function receiptLine(tps: string, contest: string, receipt: string | null, version: number, status: number, at: number): string {
  return `{"tps":${JSON.stringify(tps)},"contest":${JSON.stringify(contest)},"receipt":${receipt === null ? 'null' : JSON.stringify(receipt)},` +
    `"version":${version},"status":${status},"at":${at}}`;
}

/** Batches lines and hands them to `flushTo` at 64 KB or every `everyMs`. */
export class ReceiptBuffer implements ReceiptSink {
  private buf = '';
  count = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly flushTo: (chunk: string) => void, everyMs = 200) {
    this.timer = setInterval(() => this.flush(), everyMs);
    this.timer.unref();
  }

  add(tps: string, contest: string, receipt: string | null, version: number, status: number): void {
    this.buf += `${receiptLine(tps, contest, receipt, version, status, Date.now())}\n`;
    this.count++;
    if (this.buf.length >= 65_536) this.flush();
  }

  flush(): void {
    if (this.buf === '') return;
    const s = this.buf;
    this.buf = '';
    this.flushTo(s);
  }

  /** Flushes what is left and stops the timer. */
  stop(): void {
    clearInterval(this.timer);
    this.flush();
  }
}

/** The receipts file: chunks written in order by one FileHandle; close() flushes, fsyncs, closes. */
export class ReceiptFile implements ReceiptSink {
  private chain: Promise<void> = Promise.resolve();
  private error: Error | null = null;
  private readonly buffer: ReceiptBuffer;

  private constructor(readonly path: string, private readonly fh: FileHandle) {
    this.buffer = new ReceiptBuffer((chunk) => this.writeChunk(chunk));
  }

  /** Creates (truncates) the file; throws at once when it cannot be written. */
  static async create(path: string): Promise<ReceiptFile> {
    return new ReceiptFile(path, await open(path, 'w'));
  }

  get count(): number { return this.buffer.count; }

  add(tps: string, contest: string, receipt: string | null, version: number, status: number): void {
    this.buffer.add(tps, contest, receipt, version, status);
  }

  /** Appends ready-made lines (from a worker thread's ReceiptBuffer); `lines` ends with a newline. */
  writeChunk(lines: string, count = 0): void {
    this.buffer.count += count;
    this.chain = this.chain.then(async () => {
      if (this.error) return;
      try { await this.fh.write(lines); } catch (e) { this.error = e as Error; }
    });
  }

  async close(): Promise<void> {
    this.buffer.stop();
    await this.chain;
    try {
      await this.fh.sync();
    } finally {
      await this.fh.close();
    }
    if (this.error) throw this.error;
  }
}
