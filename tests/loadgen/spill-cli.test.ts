/**
 * `ujibeban run` spills interval histograms to the OS temp folder during the run: result.json
 * still has one entry per timeline interval, and no spill is left behind afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand, type RunFlags } from '../../src/cli/commands/run.js';
import type { ResultV1 } from '../../src/result/types.js';

let dir: string;
let savedTmp: string | undefined;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ujibeban-spill-cli-'));
  // os.tmpdir() follows TMPDIR: the run's temporary files land in this test's folder.
  savedTmp = process.env.TMPDIR;
  process.env.TMPDIR = dir;
});
afterAll(async () => {
  if (savedTmp === undefined) delete process.env.TMPDIR; else process.env.TMPDIR = savedTmp;
  await rm(dir, { recursive: true, force: true });
});

describe('ujibeban run with spilled interval histograms', () => {
  it('writes every interval into result.json and removes the spill', async () => {
    const out = join(dir, 'out');
    const code = await runCommand('smoke', { set: [], workers: '1', progress: false, out, timeScale: '4800' }, () => undefined);
    expect(code).toBe(0);
    const result = JSON.parse(await readFile(join(out, 'result.json'), 'utf8')) as ResultV1;
    expect(result.timeline.length).toBeGreaterThan(1);
    expect(result.histograms.intervals).toHaveLength(result.timeline.length);
    expect(result.histograms.intervals.some((h) => typeof h['upload.latency'] === 'string')).toBe(true);
    expect((await readdir(dir)).filter((f) => f.startsWith('ujibeban-intervals-'))).toEqual([]);
  }, 60_000);
});
