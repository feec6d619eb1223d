#!/usr/bin/env node
// Before `npm test`: the report's browser test drives Debian's Chromium (no browser download
// works on these machines). Install it when missing and we may (root with apt-get); otherwise
// say what to install. Never lets the browser test skip.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = process.env.UJIBEBAN_CHROMIUM ?? '/usr/bin/chromium';
if (existsSync(CHROMIUM)) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (isRoot && existsSync('/usr/bin/apt-get')) {
  console.error(`ujibeban: ${CHROMIUM} missing; installing Debian's chromium for the browser test…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
  process.exit(0);
}
console.error(`ujibeban: the browser test needs Chromium at ${CHROMIUM}: install it (Debian: apt-get install chromium) or set UJIBEBAN_CHROMIUM.`);
process.exit(1);
