/** Starts one of bench/targets/*.mjs in its own process (pinned to a core) and stops it. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pinned } from './peers.js';
import type { RunningTarget } from './nginx.js';

export function startProcessTarget(script: string, args: Array<string | number>, core: number): Promise<RunningTarget> {
  const file = fileURLToPath(new URL(`../targets/${script}`, import.meta.url));
  const [cmd, ...rest] = pinned(core, [process.execPath, file, '0', ...args.map(String)]);
  const child = spawn(cmd, rest, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start in 10 s`)), 10_000);
    child.stdout.once('data', (d: Buffer) => {
      clearTimeout(timer);
      const port = Number(d.toString().trim());
      resolve({
        url: `http://127.0.0.1:${port}`,
        stop: () => new Promise((r) => { child.once('exit', () => r()); child.kill('SIGTERM'); }),
      });
    });
    child.once('error', reject);
  });
}
