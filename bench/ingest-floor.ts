/**
 * The floor under P4 (mock ingest vs a bare Fastify route that only drains the body): the CPU
 * per upload of each step the mock must do and the bare route does not, each measured alone on
 * this machine, with the same bodies as bench/server-ingest.ts (Pilkada form, 2 contests per TPS,
 * 1 JPEG page of 50 / 150 / 500 KB, 64 KB chunks as the socket hands them over):
 *   - sha256 of the page bytes (stored per page; SHA-NI here);
 *   - the multipart delimiter scan (Buffer.indexOf over the body, the least any reader does)
 *     and our whole reader (server/upload/multipart-stream.ts, on a stream of the same chunks);
 *   - JSON.parse + ajv validation + ballot check of the `data` part (parseFormData), and the
 *     arithmetic guard (checkArithmetic);
 *   - token verification (HMAC-SHA256; and a hit of the verifier's cache);
 *   - the SQLite transaction of the upload (a row in uploads and its index) in group commit with
 *     synchronous=FULL: batches of --batch uploads, commit and fsync amortised over them, then
 *     the batch's deltas applied to the in-memory region counters (server/store/counters.ts);
 *   - the hand-off of an upload to the writer thread and its answer back (structured clone
 *     both ways): not required by the work itself, but by keeping fsync off the event loop.
 * Then: bare + necessary = floor µs per upload, and the best ratios that leaves: bare / floor
 * (if the server's CPU alone were short), and (client + bare) / (client + floor) (client and
 * server CPU-bound on the same 2 cores, the benchmark's case).
 * bare and client: --bare-us 150,350,1100 --client-us 400,600,900 (CPU per upload of the bare
 * route's server and of the client, µs, per page size), or the bare-drain rows of
 * bench/results/server-ingest.json.
 *
 *   node --import tsx bench/ingest-floor.ts [--page-bytes 50000,150000,500000] [--batch 16] [--bare-us a,b,c] [--client-us a,b,c] [--out FILE]
 *
 * CPU time (process.cpuUsage, all threads of this process: fsync's own CPU included, not its
 * wait), median of 5 repetitions. Writes bench/results/ingest-floor.json.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir, loadavg } from 'node:os';
import { join, dirname } from 'node:path';
import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { deserialize, serialize } from 'node:v8';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkArithmetic, generateForm, Hierarchy, makeJpeg } from '../src/domain/index.js';
import { signToken, TokenVerifier, verifyToken } from '../server/auth/token.js';
import { parseFormData } from '../server/upload/form-schema.js';
import { readMultipart } from '../server/upload/multipart-stream.js';
import { openDb } from '../server/store/db.js';
import { makeUploadApplier, type UploadOp } from '../server/store/uploads.js';
import { RegionCounterStore } from '../server/store/counters.js';

const { values: args } = parseArgs({
  options: {
    'page-bytes': { type: 'string', default: '50000,150000,500000' },
    batch: { type: 'string', default: '16' },
    'bare-us': { type: 'string' },
    'client-us': { type: 'string' },
    // Where the JSON goes (default bench/results/ingest-floor.json).
    out: { type: 'string' },
  },
});

const WORLD = { election: 'pilkada-2024' as const, regions: ['62'], scale: 1, seed: 1 };
const CONTESTS = ['pkwkp', 'pkwkk'] as const;
const BOUNDARY = '----ujibebanbench';
const CHUNK = 64 * 1024;
const sizes = args['page-bytes']!.split(',').map(Number);
const batchSize = Number(args.batch);
const h = new Hierarchy(WORLD);

/** CPU µs per call of fn over n calls, median of 5 repetitions (after a warm-up repetition). */
async function cpuPer(n: number, fn: (i: number) => unknown | Promise<unknown>): Promise<number> {
  const reps: number[] = [];
  for (let r = 0; r < 6; r++) {
    const t = process.cpuUsage();
    for (let i = 0; i < n; i++) {
      const x = fn(r * n + i);
      if (x instanceof Promise) await x;
    }
    const u = process.cpuUsage(t);
    if (r > 0) reps.push((u.user + u.system) / n);
  }
  reps.sort((a, b) => a - b);
  return reps[2];
}

function formOf(i: number, contest: (typeof CONTESTS)[number] = 'pkwkp') {
  const tps = h.tpsCode(i % h.totalTps);
  return { tps, form: generateForm({ seed: WORLD.seed, tpsCode: tps, contest, meanDpt: 400, maxVoters: 600 }) };
}

function body(data: string, page: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="data"\r\nContent-Type: application/json\r\n\r\n${data}\r\n`),
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="page"; filename="p1.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`),
    page,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
}

const chunksOf = (b: Buffer): Buffer[] => {
  const out: Buffer[] = [];
  for (let o = 0; o < b.length; o += CHUNK) out.push(b.subarray(o, o + CHUNK));
  return out;
};

/** The bare route's server CPU and the client's CPU per upload (µs, per page size): flags, else server-ingest.json. */
function bareFigures(): { server: number[]; client: number[] } {
  const file = join(dirname(fileURLToPath(import.meta.url)), 'results', 'server-ingest.json');
  type Row = { target: string; server_cpu_us_per_upload: number; client_cpu_us_per_upload?: number };
  const j = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) as { by_page?: Array<{ page_bytes: number; results: Row[] }> } : {};
  const row = (b: number): Row | undefined => j.by_page?.find((p) => p.page_bytes === b)?.results.find((r) => r.target === 'bare-drain');
  return {
    server: args['bare-us'] ? args['bare-us'].split(',').map(Number) : sizes.map((b) => row(b)?.server_cpu_us_per_upload ?? NaN),
    client: args['client-us'] ? args['client-us'].split(',').map(Number) : sizes.map((b) => row(b)?.client_cpu_us_per_upload ?? NaN),
  };
}

async function main(): Promise<void> {
  const steps: Record<string, Record<number, number>> = {};
  const put = (step: string, b: number, us: number): void => {
    (steps[step] ??= {})[b] = Math.round(us * 10) / 10;
  };

  // Page-independent steps first.
  const { tps, form } = formOf(0);
  const data = JSON.stringify(form);
  const json = await cpuPer(20_000, () => parseFormData(data, 'pkwkp', tps));
  const guard = await cpuPer(20_000, () => checkArithmetic(form));
  const secret = 'bench'.repeat(8);
  const auth = `Bearer ${signToken(secret, tps, 2e9)}`;
  const token = await cpuPer(20_000, () => verifyToken(secret, auth, 1));
  const verifier = new TokenVerifier(secret);
  const tokenCached = await cpuPer(20_000, () => verifier.verify(auth, 1));

  // SQLite: the writer's transaction per batch (a fresh file, distinct TPS as in the benchmark).
  const dir = mkdtempSync(join(tmpdir(), 'ujibeban-floor-'));
  let sqlite = NaN;
  let handoff = NaN;
  try {
    const identity = { election: WORLD.election, scale: WORLD.scale, seed: WORLD.seed, regions: WORLD.regions };
    const db = openDb(join(dir, 'floor.sqlite'), identity, 'full');
    const applier = makeUploadApplier(db);
    const run = db.transaction((o: UploadOp[]) => applier.apply(o));
    const counters = new RegionCounterStore();
    const ops = (k: number): UploadOp[] => Array.from({ length: batchSize }, (_, j) => {
      const n = k * batchSize + j;
      const contest = CONTESTS[n % 2];
      const f = formOf(Math.floor(n / 2), contest);
      const g = checkArithmetic(f.form);
      return {
        tps: f.tps, contest, contestsAtTps: 2, administrasi: f.form.administrasi, chart: f.form.chart, client: { app: "ujibeban", attempt: 1 },
        status_suara: g.status_suara, status_adm: g.status_adm, flags: g.flags,
        photos: [{ sha256: createHash('sha256').update(String(n)).digest('hex'), bytes: 150_000 }], ts: Date.now(),
      };
    });
    const batches = Array.from({ length: 6 * 60 }, (_, k) => ops(k));
    sqlite = (await cpuPer(60, (k) => {
      const r = run(batches[k]);
      counters.apply(applier.takeDeltas());
      return r;
    })) / batchSize;
    // The hand-off: a batch to the writer and its results back, structured clone both ways.
    const results = run(ops(10_000));
    const deltas = applier.takeDeltas();
    handoff = (await cpuPer(2000, (k) => {
      deserialize(serialize({ type: 'batch', id: k, ops: batches[k % batches.length] }));
      return deserialize(serialize({ type: 'done', id: k, results, deltas }));
    })) / batchSize;
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  for (const b of sizes) {
    const page = makeJpeg(b, 1);
    const pageChunks = chunksOf(page);
    const whole = body(data, page);
    const bodyChunks = chunksOf(whole);
    const n = Math.max(200, Math.round(2e8 / b));
    put('sha256 of the page', b, await cpuPer(n, () => {
      const x = createHash('sha256');
      for (const c of pageChunks) x.update(c);
      return x.digest('hex');
    }));
    const delim = Buffer.from(`\r\n--${BOUNDARY}`);
    put('delimiter scan (indexOf)', b, await cpuPer(n, () => {
      let found = 0;
      for (const c of bodyChunks) for (let at = c.indexOf(delim); at >= 0; at = c.indexOf(delim, at + 1)) found++;
      return found;
    }));
    put('multipart reader (ours, whole)', b, await cpuPer(Math.round(n / 4), async () => {
      const raw = Readable.from(bodyChunks, { objectMode: false }) as unknown as IncomingMessage;
      await readMultipart(raw, BOUNDARY, () => ({ data() {}, end() {} }), () => {});
    }));
    put('JSON.parse + ajv + ballot (parseFormData)', b, json);
    put('arithmetic guard', b, guard);
    put('token HMAC check', b, token);
    put(`SQLite transaction, group commit of ${batchSize}, FULL, + counters (per upload)`, b, sqlite);
    put('hand-off to the writer thread and back (per upload)', b, handoff);
    put('(token, cache hit)', b, tokenCached);
  }

  const necessary = ['sha256 of the page', 'delimiter scan (indexOf)', 'JSON.parse + ajv + ballot (parseFormData)', 'arithmetic guard', 'token HMAC check', `SQLite transaction, group commit of ${batchSize}, FULL, + counters (per upload)`];
  const bare = bareFigures();
  const r3 = (x: number): number => Math.round(x * 1000) / 1000;
  const rows = sizes.map((b, i) => {
    const need = necessary.reduce((s, k) => s + steps[k][b], 0);
    const withHandoff = need + steps['hand-off to the writer thread and back (per upload)'][b];
    const bareCpu = bare.server[i];
    const client = bare.client[i];
    return {
      page_bytes: b, necessary_us: Math.round(need), necessary_with_handoff_us: Math.round(withHandoff),
      bare_us: bareCpu, floor_us: Math.round(bareCpu + need),
      // Server CPU alone: the ratio if the server's CPU were all that is short.
      best_cpu_ratio: r3(bareCpu / (bareCpu + need)),
      // Client and server sharing the 2 cores, both CPU-bound: the best accepted/s ratio.
      client_us: client,
      best_throughput_ratio: r3((client + bareCpu) / (client + bareCpu + need)),
      best_throughput_ratio_with_handoff: r3((client + bareCpu) / (client + bareCpu + withHandoff)),
    };
  });
  console.table(Object.entries(steps).map(([step, v]) => ({ step, ...Object.fromEntries(sizes.map((b) => [`${b / 1000} KB`, v[b]])) })));
  console.table(rows);
  const out = args.out ?? join(dirname(fileURLToPath(import.meta.url)), 'results', 'ingest-floor.json');
  writeFileSync(out, `${JSON.stringify({
    bench: 'ingest-floor', date: new Date().toISOString(), node: process.version, machine_load_1m: Math.round(loadavg()[0] * 10) / 10,
    batch: batchSize, chunk_bytes: CHUNK, necessary_steps: necessary, steps_us_per_upload: steps, floor: rows,
  }, null, 2)}\n`);
  console.log(`wrote ${out}`);
}

await main();
