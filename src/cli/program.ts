/**
 * The `ujibeban` commander program: each command lives in ./commands/<name>.ts and registers
 * itself; this file only composes them and sets the error conventions.
 */
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { packageFile } from '../domain/package-root.js';
import { commands } from './commands/index.js';

export function packageVersion(): string {
  return JSON.parse(readFileSync(packageFile('package.json'), 'utf8')).version as string;
}

export function buildProgram(): Command {
  const program = new Command('ujibeban')
    .description('Load testing for a Sirekap-style election results-recap server: a mock server, an open-model load generator and reports.')
    .version(packageVersion())
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const register of commands) register(program);
  // Subcommands inherit exitOverride so usage errors reach our handler as CommanderError.
  for (const c of program.commands) c.exitOverride();
  return program;
}

export function isCommanderExit(err: unknown): err is CommanderError {
  return err instanceof CommanderError;
}
