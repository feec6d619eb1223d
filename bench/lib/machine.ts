/** What a benchmark ran on: written beside every figure so numbers are never quoted bare. */
import { spawnSync } from 'node:child_process';
import { cpus, hostname, platform, release, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function pkgVersion(name: string): string {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return 'n/a';
  }
}

function cmdVersion(cmd: string, args: string[]): string {
  // nginx -v prints to stderr; wrk -v prints its version and exits 1: read both streams.
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) return 'not installed';
  const text = `${r.stdout?.toString() ?? ''}\n${r.stderr?.toString() ?? ''}`.split('\n').map((l) => l.trim()).find((l) => l !== '');
  return text?.replace(/ Copyright.*/, '') ?? 'unknown';
}

export function machineInfo(): Record<string, unknown> {
  const own = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return {
    hostname: hostname(),
    platform: `${platform()} ${release()}`,
    cpus: cpus().length,
    cpu_model: cpus()[0]?.model ?? 'unknown',
    memory_gib: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    versions: {
      ujibeban: own.version,
      undici: pkgVersion('undici'),
      fastify: pkgVersion('fastify'),
      autocannon: pkgVersion('autocannon'),
      'better-sqlite3': pkgVersion('better-sqlite3'),
      wrk: cmdVersion('wrk', ['-v']),
      nginx: cmdVersion('nginx', ['-v']),
    },
  };
}
