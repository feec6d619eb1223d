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

/**
 * A TCP relay in front of a target that can be switched off (listener closed, every relayed
 * socket destroyed: new connections are refused) and on again on the same port, instantly:
 * an outage window with exact edges, without waiting for a server process to restart.
 */
export interface TcpSwitch { url: string; down(): Promise<void>; up(): Promise<void>; close(): Promise<void> }

export async function tcpSwitch(target: string): Promise<TcpSwitch> {
  const { createServer: createNetServer, connect } = await import('node:net');
  const t = new URL(target);
  const sockets = new Set<import('node:net').Socket>();
  const make = (): import('node:net').Server => createNetServer((client) => {
    const upstream = connect(Number(t.port), t.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => { client.destroy(); upstream.destroy(); });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  let server = make();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  let isUp = true;
  const down = async (): Promise<void> => {
    if (!isUp) return;
    isUp = false;
    const closed = new Promise<void>((r) => server.close(() => r()));
    for (const s of sockets) s.destroy();
    await closed;
  };
  return {
    url: `http://127.0.0.1:${port}`,
    down,
    up: async () => {
      if (isUp) return;
      server = make();
      await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
      isUp = true;
    },
    close: down,
  };
}
