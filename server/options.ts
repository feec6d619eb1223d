/**
 * The options of the mock recap server and their defaults, resolved once so that every plugin
 * reads a complete, plain object (plain JSON: it also crosses into a worker thread).
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { DEFAULT_PIN_SECRET, type ElectionId } from '../src/domain/index.js';
import type { FaultConfig } from './faults/config.js';
import type { LoggerOptions } from 'pino';
import type { Durability } from './store/db.js';
import { DEFAULT_DRAIN, type DrainBounds } from './early-answer.js';

export interface ServerLimits {
  /** Photo pages per upload (default 5). */
  maxPages: number;
  /** Bytes per page (default 10 MB). */
  maxPageBytes: number;
  /** Bytes of a whole multipart body (default 40 MB). */
  maxBodyBytes: number;
  /**
   * After an early answer (a refusal sent before the body has all arrived), at most this many
   * more bytes are read and dropped before the connection is closed anyway (default 8 MiB;
   * see server/early-answer.ts). A body declared within it keeps its connection alive.
   */
  drainBytes: number;
}

/**
 * Timeouts against slow, stalled and idle clients (milliseconds; 0 switches one off). A slowloris
 * that trickles a byte a second is cut by `requestMs`; one that sends its headers and stops, by
 * `bodyIdleMs` (uploads) or `requestMs`; one that never finishes its headers, by `headersMs`.
 */
export interface ServerTimeouts {
  /** Headers and body of a request must have arrived within this (Node's requestTimeout; 408 REQUEST_TIMEOUT). Default 120 000. */
  requestMs: number;
  /** The request's headers must have arrived within this (Node's headersTimeout; 408). Default 10 000. */
  headersMs: number;
  /** An upload body that sends no byte for this long is refused (408 BODY_TIMEOUT, connection closed), up to a quarter later (upload/idle-watch.ts). Default 15 000. */
  bodyIdleMs: number;
  /** An idle keep-alive connection is closed after this (Node's keepAliveTimeout). Default 72 000 (Fastify's). */
  keepAliveMs: number;
  /**
   * A socket with no traffic either way for this long is destroyed (Fastify's connectionTimeout).
   * Default 0 (off): it would also cut requests held on purpose (stall faults, slow commits).
   */
  connectionIdleMs: number;
  /** How often Node checks requestMs and headersMs (its connectionsCheckingInterval). Default 1000. */
  checkIntervalMs: number;
  /**
   * After an early answer (503, 401, 413, 4xx while the client is still sending), how long the
   * rest of the body is read and dropped before the connection is closed anyway, so that the
   * client reads the answer instead of a reset. Default 2000; 0 closes at once.
   */
  drainMs: number;
}

export interface ServerOptions {
  election: ElectionId;
  regions?: 'all' | readonly string[];
  scale?: number;
  seed?: number;
  /** SQLite file, or ':memory:' (default ./data/ujibeban.sqlite). */
  db?: string;
  pinSecret?: string;
  /** HMAC key of login tokens; random per start unless given (tokens then die with the process). */
  tokenSecret?: string;
  tokenTtlS?: number;
  /** Admin token for /admin/*; random unless given. */
  adminToken?: string;
  /** Directory to write photo bytes to ({sha256}.jpg); photos are only hashed when absent. */
  keepPhotos?: string;
  /**
   * Uploads whose declared body (Content-Length) is over this many bytes hash their pages on the
   * hashing thread (server/upload/hasher.ts); smaller ones, and bodies of unknown length, on the
   * event loop as the bytes arrive. Default 256 KiB: measured on this 2-core machine (issue 5),
   * the thread cost more server CPU per upload than it saved at 50 and 150 KB pages and less
   * at 500 KB. null: always on the event loop; 0: always on the thread. When the process may
   * run on one core only (availableParallelism() is 1: taskset, a one-CPU container), the
   * default is null: a thread that cannot run beside the loop only adds the ring copy and the
   * messages (P4 with the server pinned to one core, 500 KB: 2,135 µs of CPU per upload,
   * against 831 for the same work inline in bench/lib/floor-route.ts).
   */
  hashThreadAbove?: number | null;
  limits?: Partial<ServerLimits>;
  timeouts?: Partial<ServerTimeouts>;
  faults?: FaultConfig;
  /** pino options, or false for no logs (default false when built by tests). */
  logger?: LoggerOptions | false;
  /** Group-commit window (ms, default 2). */
  commitWindowMs?: number;
  /** Commit early when this many uploads wait (default 256). */
  commitMaxBatch?: number;
  /** false: one transaction per upload (the benchmark's baseline). */
  groupCommit?: boolean;
  /**
   * true: group commits run on a writer thread (a file database only), so fsync never stops
   * the event loop; false (default): on the event loop (store/group-commit.ts). Measured in
   * issue 5 (bench/server-ingest.ts, 2-core machine, 50 / 150 KB pages): the hand-off to the
   * thread and back (structured clones, wake-ups, the thread's own heap) cost ~130–170 µs of
   * server CPU per upload, more than the fsync wait it saves (~2 ms per batch of ~15); on the
   * loop the mock took 20–25% more uploads/s with a p99 no worse. The thread pays off where
   * fsync is slow (network disks) or cores are spare.
   */
  commitThread?: boolean;
  /**
   * 'full' (default): every commit is fsynced before uploads are acknowledged. 'normal': no
   * fsync per commit (WAL; an acknowledged upload survives a crash of the server, not of the
   * machine), for benchmarks of everything but the disk.
   */
  durability?: Durability;
}

export type ResolvedOptions = Required<Omit<ServerOptions, 'keepPhotos' | 'limits' | 'regions' | 'timeouts'>> & {
  regions: 'all' | string[];
  keepPhotos: string | null;
  limits: ServerLimits;
  timeouts: ServerTimeouts;
};

export const DEFAULT_DB = './data/ujibeban.sqlite';

export function resolveOptions(o: ServerOptions): ResolvedOptions {
  return {
    election: o.election,
    regions: o.regions === undefined || o.regions === 'all' ? 'all' : [...o.regions],
    scale: o.scale ?? 1,
    seed: o.seed ?? 1,
    db: o.db ?? DEFAULT_DB,
    pinSecret: o.pinSecret ?? DEFAULT_PIN_SECRET,
    tokenSecret: o.tokenSecret ?? randomBytes(32).toString('hex'),
    tokenTtlS: o.tokenTtlS ?? 12 * 3600,
    adminToken: o.adminToken ?? randomBytes(16).toString('hex'),
    keepPhotos: o.keepPhotos ?? null,
    hashThreadAbove: o.hashThreadAbove === undefined ? (availableParallelism() > 1 ? 256 * 1024 : null) : o.hashThreadAbove,
    limits: {
      maxPages: o.limits?.maxPages ?? 5,
      maxPageBytes: o.limits?.maxPageBytes ?? 10 * 1024 * 1024,
      maxBodyBytes: o.limits?.maxBodyBytes ?? 40 * 1024 * 1024,
      drainBytes: o.limits?.drainBytes ?? DEFAULT_DRAIN.bytes,
    },
    timeouts: {
      requestMs: o.timeouts?.requestMs ?? 120_000,
      headersMs: o.timeouts?.headersMs ?? 10_000,
      bodyIdleMs: o.timeouts?.bodyIdleMs ?? 15_000,
      keepAliveMs: o.timeouts?.keepAliveMs ?? 72_000,
      connectionIdleMs: o.timeouts?.connectionIdleMs ?? 0,
      checkIntervalMs: o.timeouts?.checkIntervalMs ?? 1000,
      drainMs: o.timeouts?.drainMs ?? DEFAULT_DRAIN.ms,
    },
    faults: o.faults ?? {},
    logger: o.logger ?? false,
    commitWindowMs: o.commitWindowMs ?? 2,
    commitMaxBatch: o.commitMaxBatch ?? 256,
    groupCommit: o.groupCommit ?? true,
    commitThread: o.commitThread ?? false,
    durability: o.durability ?? 'full',
  };
}

/** The drain after an early answer (server/early-answer.ts), from the resolved options. */
export function drainBounds(o: Pick<ResolvedOptions, 'limits' | 'timeouts'>): DrainBounds {
  return { ms: o.timeouts.drainMs, bytes: o.limits.drainBytes };
}
