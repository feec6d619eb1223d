/**
 * `ujibeban compare <baseline.json> <current.json>`: prints the deltas, optionally writes
 * compare.html / compare.md, and exits 99 when a measure regressed beyond the rules, else 0.
 */
import type { Command } from 'commander';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { EXIT, UsageError } from '../errors.js';
import { compareResults, DEFAULT_RULES, renderCompareHtml, renderCompareMarkdown, renderCompareText } from '../../report/compare.js';
import type { CompareRules } from '../../report/compare.js';
import { readResult } from '../../report/load.js';

export interface CompareIo { out(text: string): void }
const stdio: CompareIo = { out: (t) => process.stdout.write(t) };

export interface CompareOptions {
  html?: string;
  markdown?: string;
  maxP99Increase?: string;
  minP99IncreaseMs?: string;
  maxErrorRateIncrease?: string;
  maxCheckpointDrop?: string;
  maxThroughputDrop?: string;
  minSamples?: string;
}

function nonNegative(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new UsageError(`${flag}: "${value}" is not a number >= 0`);
  return n;
}

export function rulesFromOptions(o: CompareOptions): Partial<CompareRules> {
  const rules: Partial<CompareRules> = {};
  const set = <K extends keyof CompareRules>(key: K, v: number | undefined): void => { if (v !== undefined) rules[key] = v; };
  set('maxP99IncreasePct', nonNegative('--max-p99-increase', o.maxP99Increase));
  set('minP99IncreaseMs', nonNegative('--min-p99-increase-ms', o.minP99IncreaseMs));
  set('maxErrorRateIncreasePp', nonNegative('--max-error-rate-increase', o.maxErrorRateIncrease));
  set('maxCheckpointDropPp', nonNegative('--max-checkpoint-drop', o.maxCheckpointDrop));
  set('maxThroughputDropPct', nonNegative('--max-throughput-drop', o.maxThroughputDrop));
  set('minSamples', nonNegative('--min-samples', o.minSamples));
  return rules;
}

async function writeTo(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text, 'utf8');
}

/** Returns the exit code: 99 on regression, 0 otherwise (bad input throws UsageError). */
export async function compareCommand(baselineFile: string, currentFile: string, options: CompareOptions = {}, io: CompareIo = stdio): Promise<number> {
  const rules = rulesFromOptions(options);
  const [baseline, current] = await Promise.all([readResult(baselineFile), readResult(currentFile)]);
  const comparison = compareResults(baseline, current, rules);
  io.out(renderCompareText(comparison));
  if (options.html) { await writeTo(options.html, renderCompareHtml(comparison, baseline, current)); io.out(`wrote ${options.html}\n`); }
  if (options.markdown) { await writeTo(options.markdown, renderCompareMarkdown(comparison)); io.out(`wrote ${options.markdown}\n`); }
  return comparison.regressed ? EXIT.thresholds : EXIT.pass;
}

export function register(program: Command): void {
  const d = DEFAULT_RULES;
  program
    .command('compare')
    .description('Compare a result with a baseline; exit 99 when completion, latency, errors or throughput regressed')
    .argument('<baseline.json>', 'the reference result')
    .argument('<current.json>', 'the result to judge')
    .option('--html <file>', 'also write compare.html (both runs overlaid)')
    .option('--markdown <file>', 'also write the comparison as Markdown (for a CI job summary)')
    .option('--max-p99-increase <pct>', `p99 regression: worse by more than PCT percent... (default ${d.maxP99IncreasePct})`)
    .option('--min-p99-increase-ms <ms>', `...and by more than MS milliseconds (default ${d.minP99IncreaseMs})`)
    .option('--max-error-rate-increase <pp>', `error rate up by more than PP percentage points (default ${d.maxErrorRateIncreasePp})`)
    .option('--max-checkpoint-drop <pp>', `checkpoint achieved down by more than PP points, or pass to fail (default ${d.maxCheckpointDropPp})`)
    .option('--max-throughput-drop <pct>', `achieved throughput down by more than PCT percent (default ${d.maxThroughputDropPct})`)
    .option('--min-samples <n>', `judge a p99 only with at least N requests on both sides (default ${d.minSamples})`)
    .action(async (baseline: string, current: string, opts: CompareOptions) => {
      process.exitCode = await compareCommand(baseline, current, opts);
    });
}
