/**
 * Serialized public answers (progress, Sirekap JSON), kept until the data under them changes.
 * Each entry remembers the region whose stamp it was built at (RegionCounterStore.seqOf: moves
 * when a committed batch touches that region or anything below it); a read whose region has a
 * newer stamp rebuilds the entry. Bounded: least recently used entries go first once the
 * entries' bytes pass `maxBytes` (regions reach 800k+ codes at scale 1).
 */

/** Content type of every cached answer (they are JSON strings, sent as they are). */
export const JSON_TYPE = 'application/json; charset=utf-8';

interface Entry {
  body: string;
  region: string;
  seq: number;
  bytes: number;
}

/** Rough cost of an entry beyond its strings (Map slot, object header). */
const OVERHEAD = 96;

export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  /** `seqOf(region)`: the region's current stamp. */
  constructor(private readonly seqOf: (region: string) => number, private readonly maxBytes = 16 * 1024 * 1024) {}

  /** The body stored under `key` if its region has not changed since, else undefined. */
  get(key: string): string | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.seq !== this.seqOf(e.region)) return undefined;
    // Most recently used last: Map keeps insertion order.
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.body;
  }

  /**
   * The body under `key`, or `build()`'s value serialized and stored under the stamp of the
   * region it was built from. `build` is synchronous, so no batch can commit in between and the
   * stamp read after it is the one it saw. It may throw (a 4xx): nothing is stored.
   */
  getOrBuild(key: string, build: () => { region: string; value: unknown }): string {
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    const { region, value } = build();
    const body = JSON.stringify(value);
    this.set(key, region, this.seqOf(region), body);
    return body;
  }

  /** Stores `body`, built from the data of `region` at stamp `seq` (read before building it). */
  set(key: string, region: string, seq: number, body: string): void {
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.bytes -= old.bytes;
    }
    const bytes = 2 * (key.length + body.length) + OVERHEAD;
    if (bytes > this.maxBytes) return;
    this.entries.set(key, { body, region, seq, bytes });
    this.bytes += bytes;
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= e.bytes;
    }
  }

  /** Entries and their bytes (metrics, tests). */
  size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }
}
