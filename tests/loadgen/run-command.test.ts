/**
 * `ujibeban run` end to end, in-process (runCommand is what the commander action calls):
 * the embedded mock, a mock with a capacity fault, the in-flight cap, a mismatched target and
 * an unreachable one. Election days are compressed hard (--time-scale) to keep this quick.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedServer, type EmbeddedServer } from '../../server/embedded.js';
import { runCommand, type RunFlags } from '../../src/cli/commands/run.js';
import { validateResult } from '../../src/report/load.js';
import type { ResultV1 } from '../../src/result/types.js';

let dir: string;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'ujibeban-run-test-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

const flags = (o: Partial<RunFlags>): RunFlags => ({ set: [], workers: '1', progress: false, ...o });
const quiet = (): void => undefined;
const readJson = async (f: string): Promise<ResultV1> => JSON.parse(await readFile(f, 'utf8')) as ResultV1;

describe('ujibeban run smoke (embedded mock)', () => {
  it('passes end to end and writes a complete result and every report', async () => {
    const out = join(dir, 'smoke');
    const code = await runCommand('smoke', flags({ out, timeScale: '4800' }), quiet);
    expect(code).toBe(0);
    const result = await readJson(join(out, 'result.json'));
    validateResult(result, 'result.json');
    expect(result.pass).toBe(true);
    expect(result.summary.tps).toMatchObject({ total: 27, completed: 27 });
    expect(result.checkpoints.map((c) => c.pass)).toEqual([true, true]);
    expect(result.meta.embedded_server).toBe(true);
    expect(result.meta.versions.undici).toMatch(/^7\./);
    expect(result.thresholds.length).toBeGreaterThan(0);
    expect(result.timeline.length).toBe(result.histograms.intervals.length);
    expect(result.summary.uploads.accepted).toBe(54);
    for (const f of ['report.html', 'junit.xml', 'summary.md']) expect((await stat(join(out, f))).size).toBeGreaterThan(100);
  }, 60_000);
});

describe('ujibeban run smoke --workers 2', () => {
  it('runs two segments in two worker threads and merges them into one passing result', async () => {
    const out = join(dir, 'workers');
    const code = await runCommand('smoke', flags({ out, timeScale: '9600', workers: '2' }), quiet);
    expect(code).toBe(0);
    const result = await readJson(join(out, 'result.json'));
    expect(result.meta.merged_from).toBe(2);
    expect(result.summary.tps).toMatchObject({ total: 27, completed: 27 });
    expect(result.provinces[0]).toMatchObject({ code: '62', total: 27, completed: 27 });
  }, 60_000);
});

describe('against a mock that cannot keep up', () => {
  let server: EmbeddedServer;
  beforeAll(async () => {
    server = await startEmbeddedServer({
      election: 'pilkada-2024', regions: ['6205'], scale: 0.1, seed: 1, db: ':memory:',
      // One upload at a time, each taking 1.5 s: most officers are refused with 503.
      faults: { maxInFlightUploads: 1, latency: { fixed: 1500 }, retryAfterS: 1 },
    });
  });
  afterAll(async () => { await server.close(); });

  it('fails the 17:00 checkpoint and exits 99', async () => {
    const out = join(dir, 'capacity');
    const code = await runCommand('smoke', flags({ out, target: server.url, timeScale: '4800', set: ['drain="2s"'] }), quiet);
    expect(code).toBe(99);
    const result = await readJson(join(out, 'result.json'));
    expect(result.pass).toBe(false);
    expect(result.checkpoints[0].pass).toBe(false);
    expect(result.summary.requests.by_status['503']).toBeGreaterThan(0);
    expect(result.failures[0]).toMatch(/checkpoint 17:00/);
  }, 60_000);

  it('drops arrivals at a tiny in-flight cap instead of delaying them', async () => {
    const out = join(dir, 'dropped');
    const code = await runCommand('smoke', flags({ out, target: server.url, timeScale: '4800', set: ['limits.maxInFlight=1', 'drain="2s"'] }), quiet);
    expect(code).toBe(99);
    const result = await readJson(join(out, 'result.json'));
    expect(result.summary.requests.dropped).toBeGreaterThan(0);
    expect(result.timeline.reduce((s, i) => s + i.dropped, 0)).toBe(result.summary.requests.dropped);
  }, 60_000);

  it('refuses a target seeded differently from the scenario (exit 2)', async () => {
    await expect(runCommand('smoke', flags({ out: join(dir, 'mismatch'), target: server.url, seed: '2' }), quiet))
      .rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/seed: server 1, scenario 2/) });
  });
});

describe('bad targets', () => {
  it('exits 1 within seconds when nothing listens on the target port', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const t0 = Date.now();
    await expect(runCommand('smoke', flags({ out: join(dir, 'unreachable'), target: `http://127.0.0.1:${port}` }), quiet))
      .rejects.toMatchObject({ exitCode: 1, message: expect.stringMatching(/unreachable/) });
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('refuses a target off loopback (exit 2) before sending anything', async () => {
    await expect(runCommand('smoke', flags({ target: 'http://10.0.0.1:3000' }), quiet)).rejects.toMatchObject({ exitCode: 2 });
  });

  it('prints the plan and sends nothing with --dry-run', async () => {
    const lines: string[] = [];
    const code = await runCommand('smoke', flags({ dryRun: true, target: 'http://127.0.0.1:9' }), (s) => lines.push(s));
    expect(code).toBe(0);
    expect(lines.join('\n')).toMatch(/smoke/);
  });
});
