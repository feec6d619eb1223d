/** Every command of the CLI, in the order `--help` lists them. */
import type { Command } from 'commander';
import { register as compare } from './compare.js';
import { register as deploy } from './deploy.js';
import { register as merge } from './merge.js';
import { register as probe } from './probe.js';
import { register as report } from './report.js';
import { register as run } from './run.js';
import { register as scenario } from './scenario.js';
import { register as server } from './server.js';

export const commands: Array<(program: Command) => void> = [
  run, server, report, compare, merge, probe, (p) => scenario(p), deploy,
];
