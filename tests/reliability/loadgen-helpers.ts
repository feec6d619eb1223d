/**
 * Helpers for the load generator's reliability tests: the real CLI in child processes (the
 * mock server on its own PID so it can be killed; `ujibeban run` on its own PID so it can be
 * interrupted), free and dead ports, and the mock's request counters. Every wait is bounded.
 */
import { createServer } from 'node:net';
import { readFile } from 'node:fs/promises';
import type { ChildProcess } from 'node:child_process';
import type { ResultV1 } from '../../src/result/types.js';
import { spawnCli } from '../../bench/lib/cli-process.js';

export { startCliServer, spawnCli, REPO, type CliServer } from '../../bench/lib/cli-process.js';

export const readResult = async (f: string): Promise<ResultV1> => JSON.parse(await readFile(f, 'utf8')) as ResultV1;

/** A loopback port nothing listens on (bound, then released). */
export function deadPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

export interface CliOutcome { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number }

/** Runs `ujibeban ...args` to its end (killed after `limitMs`). */
export function runCli(args: string[], limitMs = 60_000, onStart?: (child: ChildProcess) => void): Promise<CliOutcome> {
  const t0 = Date.now();
  const child = spawnCli(args);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  onStart?.(child);
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}

/** Sum of `ujibeban_http_requests_total` samples whose labels match `route` (from /metrics). */
export async function requestsAnswered(url: string, route: RegExp): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let n = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith('ujibeban_http_requests_total{')) continue;
    const labels = line.slice(line.indexOf('{'), line.indexOf('}') + 1);
    if (route.test(labels)) n += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return n;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
