/**
 * The peers a benchmark compares against. autocannon comes from npm (a dependency); wrk and
 * nginx come from Debian: installed here when we are root with apt-get, otherwise reported
 * missing so the bench says what it could not measure instead of failing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export function which(cmd: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/usr/bin'])) {
    if (dir && existsSync(`${dir}/${cmd}`)) return `${dir}/${cmd}`;
  }
  return null;
}

/** Makes sure Debian packages are present; returns what is still missing. */
export function ensureDebian(pkgs: Record<string, string>): string[] {
  const missing = Object.entries(pkgs).filter(([cmd]) => !which(cmd));
  if (missing.length === 0) return [];
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (root && which('apt-get')) {
    process.stderr.write(`bench: installing ${missing.map(([, p]) => p).join(' ')} from Debian…\n`);
    try {
      const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
      execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env });
      execFileSync('apt-get', ['install', '-y', '-qq', ...missing.map(([, p]) => p)], { stdio: 'ignore', env });
    } catch {
      // Reported below as missing.
    }
  }
  return Object.keys(pkgs).filter((cmd) => !which(cmd));
}

/** taskset prefix pinning a command to one core, or nothing where taskset is absent. */
export function pinned(core: number, cmd: string[]): string[] {
  return which('taskset') ? ['taskset', '-c', String(core), ...cmd] : cmd;
}
