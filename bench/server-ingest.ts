/**
 * Ingest benchmark of the mock recap server: accepted uploads/s and latency for Pilkada forms
 * (2 contests per TPS, 1 page of 100 KB each) at a fixed concurrency, against
 *   - the mock with group commit (the default),
 *   - the mock with one commit per upload,
 *   - a bare Fastify route that only drains the multipart body (the ceiling of HTTP + body I/O).
 * Each server runs in its own child process, the client (undici, fixed concurrency, pre-built
 * bodies, per-TPS tokens) in this one: on a 2-core machine, one core each. Loopback only,
 * bounded in count and time. Goal: mock >= 0.8x bare.
 *
 *   node --import tsx bench/server-ingest.ts [--uploads 4000] [--concurrency 32]
 * Writes bench/results/server-ingest.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import { Agent, request } from 'undici';
import { buildServer } from '../server/app.js';
import { DEFAULT_PIN_SECRET, Hierarchy, derivePin, generateForm, makeJpeg } from '../src/domain/index.js';

const WORLD = { election: 'pilkada-2024' as const, regions: ['62'], scale: 1, seed: 1 };
const CONTESTS = ['pkwkp', 'pkwkk'] as const;
const PAGE_BYTES = 100_000;
type Kind = 'mock-group-commit' | 'mock-commit-per-upload' | 'bare-drain';

const { values: args } = parseArgs({
  options: {
    serve: { type: 'string' },
    db: { type: 'string' },
    uploads: { type: 'string', default: '4000' },
    concurrency: { type: 'string', default: '32' },
    'max-seconds': { type: 'string', default: '60' },
    only: { type: 'string' },
    'commit-window': { type: 'string' },
    rounds: { type: 'string', default: '3' },
  },
});

// ---- server side (child process) ----
async function serve(kind: Kind, db: string): Promise<void> {
  let app;
  if (kind === 'bare-drain') {
    app = Fastify({ logger: false });
    app.addContentTypeParser('multipart/form-data', (_req, payload, done) => {
      payload.on('end', () => done(null));
      payload.resume();
    });
    app.put('/api/v1/tps/:tps/c1/:contest', async (_req, reply) => {
      reply.code(201);
      return { receipt: 'x', version: 1, status_suara: true, status_adm: true, flags: [] };
    });
  } else {
    const commitWindowMs = args['commit-window'] === undefined ? undefined : Number(args['commit-window']);
    app = await buildServer({ ...WORLD, db, logger: false, tokenSecret: 'bench', groupCommit: kind === 'mock-group-commit', commitWindowMs, durability: process.env.UJIBEBAN_BENCH_SYNC === 'normal' ? 'normal' : 'full' });
  }
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof addr === 'object' && addr ? addr.port : 0 })}\n`);
  // "cpu" on stdin -> this process's CPU time so far (µs): a measure that noise from other
  // processes on the machine does not move much.
  process.stdin.on('data', () => {
    const u = process.cpuUsage();
    process.stdout.write(`${JSON.stringify({ cpu_us: u.user + u.system })}\n`);
  });
  // A normal exit (not process.exit) lets --cpu-prof write its profile.
  process.once('SIGTERM', () => {
    process.stdin.destroy();
    void app.close();
  });
}

// ---- client side ----
function startServer(kind: Kind, db: string): Promise<{ child: ChildProcess; base: string }> {
  const self = fileURLToPath(import.meta.url);
  // UJIBEBAN_BENCH_PROF=DIR writes a CPU profile of each server process to DIR.
  const prof = process.env.UJIBEBAN_BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.UJIBEBAN_BENCH_PROF}`] : [];
  const extra = args['commit-window'] === undefined ? [] : ['--commit-window', args['commit-window']];
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', self, '--serve', kind, '--db', db, ...extra], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind} did not start in 30 s`)), 30_000);
    child.stdout!.once('data', (b: Buffer) => {
      clearTimeout(timer);
      resolve({ child, base: `http://127.0.0.1:${JSON.parse(b.toString()).port}` });
    });
    child.once('exit', (code) => reject(new Error(`${kind} exited with ${code}`)));
  });
}

const BOUNDARY = '----ujibebanbench';
const PAGE = makeJpeg(PAGE_BYTES, 1);

/** One upload's multipart body: data JSON then one 100 KB page. */
function body(tps: string, contest: string): Buffer {
  const form = generateForm({ seed: WORLD.seed, tpsCode: tps, contest: contest as 'pkwkp', meanDpt: 400, maxVoters: 600 });
  return Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="data"\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(form)}\r\n`),
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="page"; filename="p1.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`),
    PAGE,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
}

interface Job { path: string; token: string; body: Buffer }

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;
}

async function runLoad(base: string, jobs: Job[], concurrency: number, maxMs: number): Promise<{ ok: number; failed: number; seconds: number; latencies: number[] }> {
  const dispatcher = new Agent({ connections: concurrency, pipelining: 1 });
  const latencies: number[] = [];
  let next = 0;
  let ok = 0;
  let failed = 0;
  const t0 = performance.now();
  const deadline = t0 + maxMs;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < jobs.length && performance.now() < deadline) {
      const job = jobs[next++];
      const start = performance.now();
      const r = await request(base + job.path, {
        method: 'PUT', dispatcher, body: job.body,
        headers: { authorization: `Bearer ${job.token}`, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      });
      await r.body.dump();
      latencies.push(performance.now() - start);
      if (r.statusCode === 201 || r.statusCode === 200) ok++;
      else failed++;
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  await dispatcher.close();
  return { ok, failed, seconds, latencies: latencies.sort((a, b) => a - b) };
}

async function login(base: string, tps: string): Promise<string> {
  const r = await request(`${base}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tps, pin: derivePin(DEFAULT_PIN_SECRET, tps) }),
  });
  const j = (await r.body.json()) as { token?: string };
  return j.token ?? 'none';
}

function serverCpuUs(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.stdout!.once('data', (b: Buffer) => resolve(JSON.parse(b.toString()).cpu_us));
    child.stdin!.write('cpu\n');
  });
}

async function bench(kind: Kind, uploads: number, concurrency: number, maxMs: number) {
  const dir = mkdtempSync(join(tmpdir(), 'ujibeban-bench-'));
  const { child, base } = await startServer(kind, join(dir, 'bench.sqlite'));
  try {
    const h = new Hierarchy(WORLD);
    const warm = 200;
    const tpsCount = Math.ceil((uploads + warm) / CONTESTS.length);
    if (tpsCount > h.totalTps) throw new Error(`--uploads too large for ${h.totalTps} TPS`);
    const jobs: Job[] = [];
    for (let i = 0; i < tpsCount; i++) {
      const tps = h.tpsCode(i);
      const token = kind === 'bare-drain' ? 'none' : await login(base, tps);
      for (const c of CONTESTS) jobs.push({ path: `/api/v1/tps/${tps}/c1/${c}`, token, body: body(tps, c) });
    }
    await runLoad(base, jobs.slice(0, warm), concurrency, maxMs);
    const cpu0 = await serverCpuUs(child);
    const r = await runLoad(base, jobs.slice(warm, warm + uploads), concurrency, maxMs);
    const cpu1 = await serverCpuUs(child);
    return {
      target: kind, uploads: r.ok + r.failed, accepted: r.ok, failed: r.failed, seconds: round(r.seconds),
      accepted_per_s: round(r.ok / r.seconds), p50_ms: round(percentile(r.latencies, 50)),
      p99_ms: round(percentile(r.latencies, 99)), max_ms: round(r.latencies[r.latencies.length - 1]),
      server_cpu_us_per_upload: Math.round((cpu1 - cpu0) / (r.ok + r.failed)),
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

const round = (x: number): number => Math.round(x * 10) / 10;

async function main(): Promise<void> {
  const uploads = Number(args.uploads);
  const concurrency = Number(args.concurrency);
  const maxMs = Number(args['max-seconds']) * 1000;
  const all: Kind[] = ['bare-drain', 'mock-group-commit', 'mock-commit-per-upload'];
  const kinds = args.only ? all.filter((k) => k === 'bare-drain' || k === args.only) : all;
  // Rounds interleave the targets so that noise from other processes on the machine hits all
  // of them alike; each target reports its median round (by accepted/s).
  const rounds = Math.max(1, Number(args.rounds));
  const runs = new Map<Kind, Array<Awaited<ReturnType<typeof bench>>>>(kinds.map((k) => [k, []]));
  for (let i = 0; i < rounds; i++) {
    for (const k of kinds) runs.get(k)!.push(await bench(k, uploads, concurrency, maxMs));
  }
  const rows = kinds.map((k) => {
    const rs = [...runs.get(k)!].sort((a, b) => a.accepted_per_s - b.accepted_per_s);
    return { ...rs[Math.floor(rs.length / 2)], rounds_per_s: runs.get(k)!.map((r) => r.accepted_per_s).join(' ') };
  });
  const bare = rows[0].accepted_per_s;
  const table = rows.map((r) => ({ ...r, vs_bare: Math.round((r.accepted_per_s / bare) * 100) / 100 }));
  console.table(table);
  const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'server-ingest.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify({
    bench: 'server-ingest', date: new Date().toISOString(), node: process.version,
    load: {
      contests_per_tps: 2, pages_per_upload: 1, page_bytes: PAGE_BYTES, uploads, concurrency, rounds,
      commit_window_ms: args['commit-window'] === undefined ? 'default' : Number(args['commit-window']),
      client: 'undici, fixed concurrency, separate process from the server',
    },
    goal: 'mock-group-commit >= 0.8x bare-drain', results: table,
  }, null, 2)}\n`);
  console.log(`wrote ${out}`);
}

if (args.serve) await serve(args.serve as Kind, args.db ?? ':memory:');
else await main();
