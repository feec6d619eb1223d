/**
 * The load generators the bench compares, each run in its own process pinned to a core:
 * ujibeban's engine (bench/lib/engine-child.ts), autocannon (its CLI, --json) and wrk (a Lua
 * `done` hook prints the figures as JSON). Every run is bounded in time.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EngineChildArgs, EngineChildOut } from './engine-child.js';
import { pinned } from './peers.js';

const require = createRequire(import.meta.url);

/** Runs a command, returns stdout; rejects on a non-zero exit or after `timeoutMs`. */
export function run(cmd: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd[0], cmd.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code, sig) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${cmd.join(' ')} exited ${code ?? sig}: ${err.trim().split('\n').slice(-3).join(' | ')}`));
    });
  });
}

/** The last line of stdout that parses as JSON. */
function lastJson<T>(out: string): T {
  const lines = out.trim().split('\n').reverse();
  for (const l of lines) {
    try { return JSON.parse(l) as T; } catch { /* next */ }
  }
  throw new Error(`no JSON in output: ${out.slice(-300)}`);
}

export async function engineRun(core: number, a: EngineChildArgs): Promise<EngineChildOut> {
  const file = join(dirname(fileURLToPath(import.meta.url)), 'engine-child.ts');
  const cmd = pinned(core, [process.execPath, '--import', 'tsx', file, JSON.stringify(a)]);
  return lastJson<EngineChildOut>(await run(cmd, (a.seconds + (a.warmupS ?? 0) + 60) * 1000));
}

export interface PeerOut {
  ok: number;
  seconds: number;
  achieved_per_s: number;
  /** Latency percentiles in ms as the tool measures them (from its own send instant). */
  latency_ms: Record<string, number>;
}

export async function autocannonRun(core: number, url: string, o: { connections: number; seconds: number; rate?: number }): Promise<PeerOut> {
  const bin = join(dirname(require.resolve('autocannon/package.json')), 'autocannon.js');
  const args = ['-c', String(o.connections), '-d', String(o.seconds), '-j'];
  if (o.rate) args.push('-R', String(o.rate));
  const out = await run(pinned(core, [process.execPath, bin, ...args, url]), (o.seconds + 60) * 1000);
  const r = lastJson<{ '2xx': number; duration: number; latency: Record<string, number> }>(out);
  const l = r.latency;
  return {
    ok: r['2xx'], seconds: r.duration, achieved_per_s: r['2xx'] / r.duration,
    latency_ms: { p50: l.p50, p90: l.p90, p97_5: l.p97_5, p99: l.p99, p999: l.p99_9, max: l.max },
  };
}

let wrkScript: string | null = null;
function wrkLua(): string {
  if (wrkScript) return wrkScript;
  const dir = mkdtempSync(join(tmpdir(), 'ujibeban-wrk-'));
  wrkScript = join(dir, 'report.lua');
  writeFileSync(wrkScript, `
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests":%d,"duration_us":%d,"errors":%d,"non2xx":%d,"p50":%d,"p95":%d,"p99":%d,"p999":%d,"max":%d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency:percentile(99.9), latency.max))
end
`);
  return wrkScript;
}

export async function wrkRun(core: number, url: string, o: { connections: number; seconds: number }): Promise<PeerOut> {
  const out = await run(pinned(core, ['wrk', '-t1', `-c${o.connections}`, `-d${o.seconds}s`, '--timeout', '5s', '-s', wrkLua(), url]), (o.seconds + 60) * 1000);
  const r = lastJson<{ requests: number; duration_us: number; errors: number; non2xx: number; p50: number; p95: number; p99: number; p999: number; max: number }>(out);
  const ok = r.requests - r.errors - r.non2xx;
  const s = r.duration_us / 1e6;
  const ms = (us: number): number => Math.round(us) / 1000;
  return { ok, seconds: s, achieved_per_s: ok / s, latency_ms: { p50: ms(r.p50), p95: ms(r.p95), p99: ms(r.p99), p999: ms(r.p999), max: ms(r.max) } };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function range(xs: number[]): [number, number] {
  return [Math.min(...xs), Math.max(...xs)];
}

/** undici's own closed-loop ceiling (bench/lib/undici-loop.mjs): what the engine's HTTP path cost before the raw client. */
export async function undiciLoopRun(core: number, url: string, o: { connections: number; seconds: number }): Promise<PeerOut & { cpu_us_per_req: number }> {
  const file = join(dirname(fileURLToPath(import.meta.url)), 'undici-loop.mjs');
  const out = await run(pinned(core, [process.execPath, file, url, String(o.seconds), String(o.connections)]), (o.seconds + 60) * 1000);
  const r = lastJson<{ ok: number; seconds: number; achieved_per_s: number; cpu_us_per_req: number }>(out);
  return { ok: r.ok, seconds: r.seconds, achieved_per_s: r.achieved_per_s, latency_ms: {}, cpu_us_per_req: r.cpu_us_per_req };
}

/** The raw client's own closed-loop ceiling (bench/lib/raw-loop.ts): the floor under the engine's HTTP path for http://. */
export async function rawLoopRun(core: number, url: string, o: { connections: number; seconds: number }): Promise<PeerOut & { cpu_us_per_req: number }> {
  const file = join(dirname(fileURLToPath(import.meta.url)), 'raw-loop.ts');
  const out = await run(pinned(core, [process.execPath, '--import', 'tsx', file, url, String(o.seconds), String(o.connections)]), (o.seconds + 60) * 1000);
  const r = lastJson<{ ok: number; seconds: number; achieved_per_s: number; cpu_us_per_req: number }>(out);
  return { ok: r.ok, seconds: r.seconds, achieved_per_s: r.achieved_per_s, latency_ms: {}, cpu_us_per_req: r.cpu_us_per_req };
}
