/** Finds files shipped with the package whether we run from src/ (tsx, vitest) or dist/. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | null = null;

export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'ujibeban') {
      cached = dir;
      return dir;
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('ujibeban: cannot find the package root (package.json)');
    dir = up;
  }
}

export function packageFile(...parts: string[]): string {
  return join(packageRoot(), ...parts);
}
