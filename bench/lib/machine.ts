/** What a benchmark ran on: written beside every figure so numbers are never quoted bare. */
import { execFileSync } from 'node:child_process';
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
  try {
    return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString().split('\n')[0].trim();
  } catch (e) {
    const err = e as { stderr?: Buffer };
    const text = err.stderr?.toString().split('\n')[0].trim();
    return text || 'not installed';
  }
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
      wrk: cmdVersion('wrk', ['--version']),
      nginx: cmdVersion('nginx', ['-v']),
    },
  };
}
