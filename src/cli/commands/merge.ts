/**
 * `ujibeban merge <result.json...> --out FILE`: combines the segments of one plan exactly
 * (histograms add, percentiles recomputed, verdict judged again), writes the merged result and
 * its report.html, junit.xml and summary.md beside it. Exits 99 when the merged verdict fails,
 * like `run`, so a CI merge job gates on the whole run.
 */
import type { Command } from 'commander';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { EXIT, UsageError } from '../errors.js';
import { readResult } from '../../report/load.js';
import { mergeResults } from '../../report/merge.js';
import { renderTextSummary } from '../../report/text.js';
import { writeReportFiles } from './report.js';

export interface MergeIo { out(text: string): void }
const stdio: MergeIo = { out: (t) => process.stdout.write(t) };

export interface MergeOptions { out?: string; report?: boolean; quiet?: boolean }

export async function mergeCommand(files: string[], options: MergeOptions, io: MergeIo = stdio): Promise<number> {
  if (!options.out) throw new UsageError('merge: --out FILE is required (where to write the merged result.json)');
  if (files.length === 0) throw new UsageError('merge: give at least one result.json');
  const results = await Promise.all(files.map((f) => readResult(f)));
  const merged = mergeResults(results, { labels: files });
  await mkdir(dirname(options.out), { recursive: true });
  await writeFile(options.out, JSON.stringify(merged), 'utf8');
  const written = [options.out];
  if (options.report ?? true) written.push(...await writeReportFiles(merged, join(dirname(options.out), 'report.html')));
  if (!options.quiet) io.out(renderTextSummary(merged));
  io.out(`merged ${files.length} result${files.length === 1 ? '' : 's'}; wrote ${written.join(', ')}\n`);
  return merged.pass ? EXIT.pass : EXIT.thresholds;
}

export function register(program: Command): void {
  program
    .command('merge')
    .description('Merge the segment results of one plan (run --segment K/N) into one result, exactly; exit 99 if it fails')
    .argument('<result.json...>', 'segment results of the same scenario, election, scale and seed')
    .requiredOption('--out <file>', 'merged result.json to write (report.html, junit.xml, summary.md go beside it)')
    .option('--no-report', 'write only the merged result.json')
    .option('--quiet', 'do not print the text summary')
    .action(async (files: string[], opts: MergeOptions) => {
      process.exitCode = await mergeCommand(files, opts);
    });
}
