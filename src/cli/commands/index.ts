/** Every command of the CLI, in the order `--help` lists them. */
import type { Command } from 'commander';
import { register as deploy } from './deploy.js';

export const commands: Array<(program: Command) => void> = [deploy];
