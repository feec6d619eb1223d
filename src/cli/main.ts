#!/usr/bin/env node
/**
 * Entry point: runs the program and turns every error into one line and an exit code
 * (0 pass, 99 checkpoints/thresholds failed, 2 bad usage or input, 1 anything else).
 */
import { EXIT } from './errors.js';
import { buildProgram, isCommanderExit } from './program.js';

async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    if (isCommanderExit(err)) {
      // --help and --version exit 0; usage errors were already printed by commander.
      process.exitCode = err.exitCode === 0 ? 0 : EXIT.usage;
      return;
    }
    const e = err as { exitCode?: number; message?: string; stack?: string };
    const code = typeof e.exitCode === 'number' ? e.exitCode : EXIT.failure;
    process.stderr.write(`ujibeban: ${e.message ?? String(err)}\n`);
    if (process.env.UJIBEBAN_DEBUG && e.stack) process.stderr.write(`${e.stack}\n`);
    process.exitCode = code;
  }
}

await main(process.argv);
