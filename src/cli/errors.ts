/**
 * Errors the CLI turns into one readable line and an exit code (never a stack trace).
 * UsageError: bad flags, bad scenario, bad input file -> exit 2.
 * RunFailure: the run itself could not proceed (target unreachable, ...) -> exit 1.
 */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export class RunFailure extends Error {
  readonly exitCode = 1;
  constructor(message: string) {
    super(message);
    this.name = 'RunFailure';
  }
}

/** Exit codes of `ujibeban` (k6's convention for failed thresholds). */
export const EXIT = { pass: 0, failure: 1, usage: 2, thresholds: 99 } as const;
