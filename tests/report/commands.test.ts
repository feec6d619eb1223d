import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { mergeCommand, register as registerMerge } from '../../src/cli/commands/merge.js';
import { register as registerCompare } from '../../src/cli/commands/compare.js';
import { reportCommand, register as registerReport } from '../../src/cli/commands/report.js';
import { readResult } from '../../src/report/load.js';
import { syntheticRun } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'ujibeban-commands-'));
const run = syntheticRun({ segments: 2 });
const quiet = { out: () => {} };

function save(name: string, r: unknown): string {
  const file = join(dir, name);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(r));
  return file;
}

describe('ujibeban report', () => {
  it('writes report.html, junit.xml and summary.md beside the result and prints the summary', async () => {
    const file = save('run/result.json', run.single);
    let printed = '';
    expect(await reportCommand(file, {}, { out: (t) => { printed += t; } })).toBe(0);
    for (const f of ['report.html', 'junit.xml', 'summary.md']) expect(existsSync(join(dir, 'run', f)), f).toBe(true);
    expect(printed).toMatch(/^PASS  barito-utara-pilkada-2024/);
    expect(readFileSync(join(dir, 'run', 'junit.xml'), 'utf8')).toContain('<testsuites');
  });
  it('honours --out, --no-junit and --no-summary', async () => {
    const file = join(dir, 'run', 'result.json');
    const out = join(dir, 'elsewhere', 'barito.html');
    await reportCommand(file, { out, junit: false, summary: false }, quiet);
    expect(existsSync(out)).toBe(true);
    expect(existsSync(join(dir, 'elsewhere', 'junit.xml'))).toBe(false);
    expect(existsSync(join(dir, 'elsewhere', 'summary.md'))).toBe(false);
  });
});

describe('ujibeban merge', () => {
  it('merges two segment files into a result and a report; exit 0 when it passes', async () => {
    const files = [save('seg1.json', run.segments[1]), save('seg0.json', run.segments[0])];
    const out = join(dir, 'merged', 'result.json');
    expect(await mergeCommand(files, { out }, quiet)).toBe(0);
    const merged = await readResult(out);
    expect(merged.meta.merged_from).toBe(2);
    expect(merged.summary.requests).toEqual(run.single.summary.requests);
    expect(existsSync(join(dir, 'merged', 'report.html'))).toBe(true);
  });
  it('exits 99 when the merged run fails (a missing segment is partial)', async () => {
    const out = join(dir, 'half', 'result.json');
    expect(await mergeCommand([join(dir, 'seg0.json')], { out, report: false }, quiet)).toBe(99);
    const half = await readResult(out);
    expect(half).toMatchObject({ partial: true, pass: false });
    expect(existsSync(join(dir, 'half', 'report.html'))).toBe(false);
  });
  it('refuses results of different plans, naming the files', async () => {
    const other = save('other-seed.json', { ...run.segments[1], meta: { ...run.segments[1].meta, seed: 9 } });
    await expect(mergeCommand([join(dir, 'seg0.json'), other], { out: join(dir, 'x.json') }, quiet))
      .rejects.toThrow(`merge: ${other} has seed 9 but ${join(dir, 'seg0.json')} has 1`);
  });
  it('requires --out', async () => {
    await expect(mergeCommand([join(dir, 'seg0.json')], {}, quiet)).rejects.toThrow(/--out FILE is required/);
  });
});

describe('register', () => {
  it('adds report, compare and merge to a commander program', () => {
    const program = new Command('ujibeban');
    registerReport(program);
    registerCompare(program);
    registerMerge(program);
    expect(program.commands.map((c) => c.name())).toEqual(['report', 'compare', 'merge']);
    const compare = program.commands[1];
    expect(compare.options.map((o) => o.long)).toEqual(expect.arrayContaining(['--html', '--max-p99-increase', '--max-error-rate-increase']));
  });
  it('runs compare through commander and sets exit code 99 on regression', async () => {
    const base = save('b.json', run.single);
    const slow = save('s.json', syntheticRun({ latencyFactor: 2 }).single);
    const program = new Command('ujibeban').exitOverride();
    registerCompare(program);
    const write = process.stdout.write;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      await program.parseAsync(['node', 'ujibeban', 'compare', base, slow]);
    } finally {
      process.stdout.write = write;
    }
    expect(process.exitCode).toBe(99);
    process.exitCode = 0;
  });
});
