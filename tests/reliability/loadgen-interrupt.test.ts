/**
 * Stopping and refusing, with the real CLI in a child process:
 * - SIGINT mid-run: no new arrivals, a drain of at most the grace period, then a partial
 *   result (`partial: true`, which never passes) and every report written; exit 99 (a partial
 *   result fails, docs/result-schema.md); also with --workers 2 (the parent relays the stop);
 * - an output folder or receipts file that cannot be written: a message naming the flag, exit 2,
 *   before any load is sent (the mock answered nothing);
 * - `--receipts`: one NDJSON line per acknowledged upload, matching the result's counts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { runCommand, type RunFlags } from '../../src/cli/commands/run.js';
import { runLoad } from '../../loadgen/run.js';
import { baritoUtara, constantPlan, constantRateScenario } from '../loadgen/helpers.js';
import { deadPort, readResult, requestsAnswered, runCli, startCliServer, type CliServer } from './loadgen-helpers.js';

let dir: string;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'ujibeban-lg-int-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

/** Sends SIGINT once the live progress (plain lines on stderr) shows `n` TPS completed; records when. */
function interruptAfterCompleted(n: number, at: { ms: number }): (c: ChildProcess) => void {
  return (child) => {
    let seen = '';
    child.stderr!.on('data', (d: Buffer) => {
      if (at.ms !== 0) return;
      seen += d.toString();
      for (const m of seen.matchAll(/TPS (\d+)\/27/g)) {
        if (Number(m[1]) >= n && at.ms === 0) {
          at.ms = Date.now();
          child.kill('SIGINT');
        }
      }
    });
  };
}

describe('SIGINT mid-run', () => {
  for (const workers of ['1', '2']) {
    it(`--workers ${workers}: drains within the grace period, writes a partial result and every report, exits 99`, async () => {
      const out = join(dir, `sigint-${workers}`);
      const at = { ms: 0 };
      // smoke at 1200x: 33 s of arrivals; interrupted once 3 of 27 TPS are complete (the live
      // progress says so: robust to slow start-ups). Grace = min(drain 5 s, 10 s).
      const r = await runCli(['run', 'smoke', '--time-scale', '1200', '--out', out, '--workers', workers, '--receipts'],
        60_000, interruptAfterCompleted(3, at));
      expect(at.ms).toBeGreaterThan(0);
      expect(r.stderr).toMatch(/interrupted: no new arrivals; draining in-flight sessions/);
      expect(r.code).toBe(99);
      const exitAfterSigintMs = Date.now() - at.ms; // upper bound (measured after the exit event)
      expect(exitAfterSigintMs).toBeLessThan(5000 + 5000);

      const result = await readResult(join(out, 'result.json'));
      expect(result.partial).toBe(true);
      expect(result.pass).toBe(false);
      expect(result.failures.join('\n')).toMatch(/partial|interrupt/i);
      expect(result.summary.tps.completed).toBeGreaterThanOrEqual(3);
      expect(result.summary.tps.completed).toBeLessThan(result.summary.tps.total);
      // Arrivals stopped at the interrupt: the run is far shorter than the 33 s plan.
      expect(result.summary.duration_s).toBeLessThan(25);
      for (const f of ['report.html', 'junit.xml', 'summary.md']) expect((await stat(join(out, f))).size).toBeGreaterThan(100);
      expect(r.stdout).toMatch(/wrote .*result\.json/);

      // Receipts of everything acknowledged before the stop.
      const lines = (await readFile(join(out, 'receipts.ndjson'), 'utf8')).split('\n').filter(Boolean);
      const u = result.summary.uploads;
      expect(lines.length).toBe(u.accepted + u.duplicates + u.corrections);
      expect(lines.length).toBeGreaterThan(0);
    }, 60_000);
  }
});

describe('SIGINT while waiting for --start-at', () => {
  it('ends the wait at once with an empty, partial result', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    const t0 = Date.now();
    const result = await runLoad({
      scenario: constantRateScenario({ rate: 10, durationMs: 1000, request: 'read:progress' }),
      hierarchy: baritoUtara(), plan: constantPlan(10, 1000, 'read:progress'),
      targetUrl: `http://127.0.0.1:${await deadPort()}`, warmup: false,
      startAt: new Date(Date.now() + 30_000), signal: ac.signal,
    });
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(result.partial).toBe(true);
    expect(result.pass).toBe(false);
    expect(result.summary.requests.total).toBe(0);
  });
});

describe('output that cannot be written', () => {
  let server: CliServer;
  const flags = (o: Partial<RunFlags>): RunFlags => ({ set: [], workers: '1', progress: false, ...o });
  beforeAll(async () => { server = await startCliServer(['--scenario', 'smoke', '--db', ':memory:']); });
  afterAll(async () => { await server.stop(); });

  it('--out under a regular file: one line naming --out, exit 2, nothing sent to the target', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, 'not a folder');
    const r = await runCli(['run', 'smoke', '--target', server.url, '--out', join(file, 'report'), '--no-progress'], 30_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^ujibeban: --out ${file}/report: not writable \\(ENOTDIR`, 'm'));
    expect(await requestsAnswered(server.url, /route="\/api\//)).toBe(0);
    expect(await requestsAnswered(server.url, /route="\/api\/v1\/tps/)).toBe(0);
  }, 30_000);

  it('--receipts under a regular file: exit 2 before any load, and no --out folder left behind', async () => {
    const file = join(dir, 'b-file');
    await writeFile(file, 'x');
    const out = join(dir, 'never');
    await expect(runCommand('smoke', flags({ target: server.url, out, receipts: join(file, 'r.ndjson') }), () => undefined))
      .rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/^--receipts .*r\.ndjson: not writable/) });
    await expect(stat(out)).rejects.toThrow();
    expect(await requestsAnswered(server.url, /route="\/api\//)).toBe(0);
  });

  it('--receipts FILE against the mock: every 2xx upload answer, one JSON line each, receipts the mock issued', async () => {
    const out = join(dir, 'receipts-run');
    const file = join(dir, 'receipts.ndjson');
    const code = await runCommand('smoke', flags({ target: server.url, out, timeScale: '9600', receipts: file }), () => undefined);
    expect(code).toBe(0);
    const result = await readResult(join(out, 'result.json'));
    const lines = (await readFile(file, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    const u = result.summary.uploads;
    expect(lines.length).toBe(u.accepted + u.duplicates + u.corrections);
    for (const l of lines) {
      expect(Object.keys(l)).toEqual(['tps', 'contest', 'receipt', 'version', 'status', 'at']);
      expect(l.tps).toMatch(/^6205\d{9}$/);
      expect(['pkwkp', 'pkwkk']).toContain(l.contest);
      expect(l.receipt).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect([200, 201]).toContain(l.status);
      expect(l.version).toBeGreaterThanOrEqual(1);
    }
    // Every TPS x contest was acknowledged at least once; the mock counted the same uploads.
    expect(new Set(lines.filter((l) => l.version === 1).map((l) => `${l.tps}/${l.contest}`)).size).toBe(u.accepted);
    expect(await requestsAnswered(server.url, /route="\/api\/v1\/tps\/:tps\/c1\/:contest",status="20[01]"/)).toBe(lines.length);
  }, 60_000);
});
