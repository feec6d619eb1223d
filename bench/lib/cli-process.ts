/**
 * The `ujibeban` CLI in a child process (from the sources, `node --import tsx`): the mock
 * server and the run command each on their own event loop and their own PID, so benches can
 * sample their memory apart and kill one without the other. Every wait is bounded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pinned } from './peers.js';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
const LOOP_MONITOR = new URL('./loop-monitor.mjs', import.meta.url).href;

export interface CliOptions {
  /**
   * Preload bench/lib/loop-monitor.mjs (event-loop delay and GC pauses, one JSON line a
   * second) writing to this file; the product code is untouched.
   */
  monitor?: string;
  /** Node or V8 flags for this process (before the preloads), e.g. `--max-semi-space-size=4`. */
  nodeFlags?: readonly string[];
}

const CLI_MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

/** The node command line (unpinned) and environment that run `ujibeban ...args` from the sources. */
export function cliCommand(args: string[], opts: CliOptions = {}): { cmd: string[]; env: NodeJS.ProcessEnv } {
  const preload = opts.monitor ? ['--import', LOOP_MONITOR] : [];
  const cmd = [process.execPath, ...(opts.nodeFlags ?? []), ...preload, '--import', 'tsx', CLI_MAIN, ...args];
  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0' };
  if (opts.monitor) env.UJIBEBAN_LOOP_MONITOR = opts.monitor;
  else delete env.UJIBEBAN_LOOP_MONITOR;
  return { cmd, env };
}

/** `core`: pin the process to that CPU with taskset (when installed); taskset execs, so the PID is node's. */
export function spawnCli(args: string[], stdio: 'pipe' | 'inherit' = 'pipe', core?: number, opts: CliOptions = {}): ChildProcess {
  const { cmd, env } = cliCommand(args, opts);
  const [file, ...rest] = core === undefined ? cmd : pinned(core, cmd);
  return spawn(file, rest, { cwd: REPO, stdio: ['ignore', stdio, stdio], env });
}

export interface CliServer {
  url: string;
  child: ChildProcess;
  pid: number;
  /** SIGTERM (graceful: drain, commit, close), SIGKILL after 10 s. */
  stop(): Promise<void>;
}

/** `ujibeban server --port 0 ...args`; resolves with its URL once it listens (30 s at most). */
export function startCliServer(args: string[], core?: number, opts: CliOptions = {}): Promise<CliServer> {
  const child = spawnCli(['server', '--port', '0', '--log-level', 'warn', ...args], 'pipe', core, opts);
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`mock server did not start in 30 s: ${err}`)); }, 30_000);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`mock server exited with ${code} before listening: ${err}`)); });
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.stdout!.removeAllListeners('data');
      child.stdout!.resume();
      resolve({
        url: m[1], child, pid: child.pid!,
        stop: () => new Promise<void>((r) => {
          if (child.exitCode !== null || child.signalCode !== null) { r(); return; }
          child.once('exit', () => r());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
        }),
      });
    });
  });
}

/** Resident set size of a process in bytes (Linux /proc), or 0 when it is gone. */
export async function rssBytes(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  try {
    const s = await readFile(`/proc/${pid}/status`, 'utf8');
    const m = /VmRSS:\s+(\d+) kB/.exec(s);
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** CPU time (user + system, seconds) a process has used so far, from /proc; 0 if gone. */
export async function cpuSeconds(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  try {
    const s = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // USER_HZ is 100 on Linux
  } catch {
    return 0;
  }
}
