/**
 * `ujibeban report <result.json> [--out FILE]`: renders report.html and, beside it, junit.xml
 * and summary.md (skip them with --no-junit / --no-summary), then prints the text summary.
 * Exits 0 whenever the files were written: `report` renders a verdict, `run` and `merge` gate on it.
 */
import type { Command } from 'commander';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { EXIT } from '../errors.js';
import { renderHtml } from '../../report/html.js';
import { renderJunit } from '../../report/junit.js';
import { readResult } from '../../report/load.js';
import { renderSummaryMarkdown } from '../../report/summary.js';
import { renderTextSummary } from '../../report/text.js';
import type { ResultV1 } from '../../result/types.js';

export interface ReportIo { out(text: string): void }
const stdio: ReportIo = { out: (t) => process.stdout.write(t) };

export interface ReportOptions { out?: string; junit?: boolean; summary?: boolean; quiet?: boolean }

/** Writes report.html (+ junit.xml, summary.md in the same folder); returns the paths written. */
export async function writeReportFiles(result: ResultV1, htmlFile: string, options: { junit?: boolean; summary?: boolean } = {}): Promise<string[]> {
  const dir = dirname(htmlFile);
  await mkdir(dir, { recursive: true });
  const written = [htmlFile];
  await writeFile(htmlFile, renderHtml(result), 'utf8');
  if (options.junit ?? true) {
    written.push(join(dir, 'junit.xml'));
    await writeFile(join(dir, 'junit.xml'), renderJunit(result), 'utf8');
  }
  if (options.summary ?? true) {
    written.push(join(dir, 'summary.md'));
    await writeFile(join(dir, 'summary.md'), renderSummaryMarkdown(result), 'utf8');
  }
  return written;
}

export async function reportCommand(file: string, options: ReportOptions = {}, io: ReportIo = stdio): Promise<number> {
  const result = await readResult(file);
  const htmlFile = options.out ?? join(dirname(file), 'report.html');
  const written = await writeReportFiles(result, htmlFile, options);
  if (!options.quiet) io.out(renderTextSummary(result));
  io.out(`wrote ${written.join(', ')}\n`);
  return EXIT.pass;
}

export function register(program: Command): void {
  program
    .command('report')
    .description('Render report.html (self-contained, opens offline), junit.xml and summary.md from a result.json')
    .argument('<result.json>', 'a result written by `ujibeban run` or `ujibeban merge`')
    .option('--out <file>', 'HTML file to write (default: report.html beside the result); junit.xml and summary.md go in the same folder')
    .option('--no-junit', 'do not write junit.xml')
    .option('--no-summary', 'do not write summary.md (Markdown for a CI job summary)')
    .option('--quiet', 'do not print the text summary')
    .action(async (file: string, opts: ReportOptions) => {
      process.exitCode = await reportCommand(file, opts);
    });
}
