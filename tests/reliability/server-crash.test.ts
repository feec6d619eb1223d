/**
 * Crash durability, "acknowledged means durable": the mock runs as its own process on a real
 * SQLite file; `ujibeban run smoke --receipts` (another process, generous retries) loads it
 * while the test SIGKILLs the server three times at random moments (seeded), restarting it
 * each time on the same file and the same port (the run's --target stays valid). Then: every
 * receipt the run was given is in the database with its version (acknowledged uploads lost:
 * 0), every TPS completed through the retries, the timeline shows each outage as ECONNREFUSED
 * and nothing outside them, and the run's outputs hold no PIN secret, token secret or token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rngFor } from '../../src/domain/index.js';
import type { ResultV1 } from '../../src/result/types.js';
import { readResult, runCli, sleep, startCliServer, type CliServer } from './loadgen-helpers.js';
import { DbReader } from './server-helpers.js';

const PIN_SECRET = 'crash-pin-secret-5e1b';
const TOKEN_SECRET = 'crash-token-secret-93c4';
const KILLS = 3;

let dir: string;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'ujibeban-crash-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

const refusedIn = (r: ResultV1, i: number): number =>
  Object.values(r.timeline[i]?.series ?? {}).reduce((a, s) => a + (s?.by_code?.ECONNREFUSED ?? 0), 0);

describe('the mock SIGKILLed under load', () => {
  it(`survives ${KILLS} kills: no acknowledged upload lost, every TPS completed, outages in the timeline`, async () => {
    const db = join(dir, 'recap.sqlite');
    const receipts = join(dir, 'receipts.ndjson');
    const out = join(dir, 'out');
    const serverArgs = ['--scenario', 'smoke', '--db', db, '--pin-secret', PIN_SECRET, '--token-secret', TOKEN_SECRET];
    let server: CliServer = await startCliServer(serverArgs);
    const port = new URL(server.url).port;
    const outages: Array<{ down: number; up: number }> = [];
    try {
      let started: () => void = () => undefined;
      const running = new Promise<void>((r) => { started = r; });
      const run = runCli([
        'run', 'smoke', '--target', server.url, '--out', out, '--receipts', receipts, '--no-progress', '--pin-secret', PIN_SECRET,
        '--time-scale', '2000',
        '--set', 'officers.retry.max=60', '--set', 'officers.retry.base="100ms"', '--set', 'officers.retry.cap="500ms"',
        '--set', 'officers.attemptTimeout="5s"', '--set', 'drain="30s"',
      ], 110_000, (child) => {
        child.stdout!.on('data', (d: Buffer) => { if (/running /.test(d.toString())) started(); });
      });
      let ended = false;
      void run.then(() => { ended = true; started(); });
      await running;

      // Random moments (seeded): 1.5-3.5 s after the run starts or the server is back.
      const rng = rngFor(11, 'crash-test');
      for (let k = 0; k < KILLS && !ended; k++) {
        await sleep(1500 + rng() * 2000);
        if (ended) break;
        const exited = new Promise<void>((r) => server.child.once('exit', () => r()));
        const down = Date.now();
        server.child.kill('SIGKILL');
        await exited;
        server = await startCliServer([...serverArgs, '--port', port]);
        outages.push({ down, up: Date.now() });
      }
      const outcome = await run;
      expect(outages.length, `the run ended after ${outages.length} kills (stderr: ${outcome.stderr})`).toBe(KILLS);
      expect([0, 99], outcome.stderr).toContain(outcome.code);
      await server.stop();

      // Every acknowledged upload is in the database, with the version it was acknowledged as.
      const lines = (await readFile(receipts, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as {
        tps: string; contest: string; receipt: string; version: number; status: number;
      });
      const reader = new DbReader(db);
      const lost = lines.filter((l) => reader.versionOf(l.tps, l.contest, l.receipt) !== l.version);
      const rows = reader.counts().uploads;
      reader.close();
      const r = await readResult(join(out, 'result.json'));
      console.log(`crash: ${outages.length} kills (outages ${outages.map((o) => `${o.up - o.down} ms`).join(', ')}), ` +
        `${lines.length} receipts, ${rows} stored versions, lost ${lost.length}; TPS ${r.summary.tps.completed}/${r.summary.tps.total}; ` +
        `by_code ${JSON.stringify(r.summary.requests.by_code)}`);
      expect(lines.length).toBeGreaterThan(20);
      expect(lost).toEqual([]);

      // The run completed through the outages.
      expect(r.partial).toBe(false);
      expect(r.summary.tps.completed).toBe(r.summary.tps.total);

      // Each outage is ECONNREFUSED in the timeline; none outside the outages (1 s of slack at the edges).
      const origin = Date.parse(r.meta.started_at);
      const windows = outages.map((o) => ({ from: (o.down - origin) / 1000, to: (o.up - origin) / 1000 }));
      for (const w of windows) {
        const overlapping = r.timeline.map((t, i) => ({ t, i })).filter(({ t }) => t.t_s + r.meta.interval_s > w.from && t.t_s < w.to);
        expect(overlapping.reduce((a, { i }) => a + refusedIn(r, i), 0), `outage ${w.from.toFixed(1)}-${w.to.toFixed(1)} s`).toBeGreaterThan(0);
      }
      r.timeline.forEach((t, i) => {
        const near = windows.some((w) => t.t_s + r.meta.interval_s > w.from - 1 && t.t_s < w.to + 1);
        if (!near) expect(refusedIn(r, i), `t=${t.t_s}`).toBe(0);
      });
      const html = await readFile(join(out, 'report.html'), 'utf8');
      expect(html).toContain('ECONNREFUSED/s');

      // No secret or token in what the run wrote.
      for (const f of ['result.json', 'report.html']) {
        const text = await readFile(join(out, f), 'utf8');
        for (const secret of [PIN_SECRET, TOKEN_SECRET]) expect(text.includes(secret), `${secret} in ${f}`).toBe(false);
        expect(text, f).not.toMatch(/v1\.\d{13}\.\d{6,}\.[A-Za-z0-9_-]{43}/);
        expect(text, f).not.toMatch(/"pin"\s*:/);
      }
      const receiptText = await readFile(receipts, 'utf8');
      expect(receiptText).not.toMatch(/v1\.\d{13}\.|crash-(pin|token)-secret/);
    } finally {
      await server.stop();
    }
  }, 120_000);
});
