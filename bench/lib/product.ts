/**
 * The product as it ships: the compiled dist/ (`npm run build`, what `npx ujibeban` runs), not
 * the TypeScript sources through tsx. tsx compiles with esbuild's keepNames, which wraps every
 * function the code creates at run time in a `__name(fn, "...")` call (a defineProperty): per
 * request, for every closure of the server's hot path. Measured in issue 5, in process: the
 * mock from dist took 5 µs less CPU per 50 KB upload than from the sources (219 vs 224).
 * dist/ is rebuilt here when any source file is newer than it, so a bench never measures stale code.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const ROOTS = ['src', 'server', 'loadgen'];
/** Written by every build (tsc rewrites all its outputs). */
const STAMP = join(REPO, 'dist', 'src', 'cli', 'main.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (/\.(ts|mjs|json)$/.test(e.name)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds dist/ unless it is newer than every source file. */
export function ensureBuilt(log: (s: string) => void = () => {}): void {
  const built = existsSync(STAMP) ? statSync(STAMP).mtimeMs : 0;
  const newest = Math.max(...ROOTS.map((r) => newestSource(join(REPO, r))));
  if (built >= newest) return;
  log('building dist/ (npm run build): the benches measure the compiled product');
  execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** The URL of a compiled module, e.g. productModule('server/embedded') -> file:///…/dist/server/embedded.js. */
export function productModule(relative: string): string {
  return pathToFileURL(join(REPO, 'dist', `${relative}.js`)).href;
}
