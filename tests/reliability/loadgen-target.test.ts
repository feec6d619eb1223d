/**
 * The load generator when the target misbehaves, with the real mock in its own process:
 * - unreachable at start (nothing listens, or a socket that never answers): a clear message
 *   and exit 1 within seconds, from the real CLI;
 * - the target dies mid-run (SIGKILL): errors counted by kind, arrivals keep their schedule,
 *   the run ends on time (duration + drain + margin) and writes result.json and report.html,
 *   exit 99;
 * - an outage window (killed, restarted on the same port): the timeline and the report's
 *   errors chart show ECONNREFUSED during the outage only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hierarchy } from '../../src/domain/index.js';
import { loadScenario } from '../../src/scenario/load.js';
import { buildPlan } from '../../loadgen/plan/plan.js';
import { runCommand, type RunFlags } from '../../src/cli/commands/run.js';
import { chartContext, errorsChart } from '../../src/report/charts.js';
import { buckets } from '../../src/report/downsample.js';
import type { ResultV1 } from '../../src/result/types.js';
import { deadPort, readResult, runCli, startCliServer, tcpSwitch, type CliServer } from './loadgen-helpers.js';

let dir: string;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'ujibeban-lg-target-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

const flags = (o: Partial<RunFlags>): RunFlags => ({ set: [], workers: '1', progress: false, ...o });
const quiet = (): void => undefined;

/** Arrivals the plan schedules per interval (what `offered` must show whatever the target does). */
function plannedPerInterval(scenarioArg: string, set: string[], timeScale?: number): number[] {
  const { scenario } = loadScenario(scenarioArg, { set, timeScale });
  const plan = buildPlan(scenario, new Hierarchy(scenario));
  const out: number[] = [];
  const it = plan.arrivals();
  for (let n = it.next(); !n.done; n = it.next()) {
    const i = Math.floor(n.value.atMs / 1000 / scenario.intervalS);
    out[i] = (out[i] ?? 0) + 1;
  }
  return Array.from(out, (x) => x ?? 0);
}

const codesIn = (r: ResultV1, i: number): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const s of Object.values(r.timeline[i]?.series ?? {})) for (const [k, v] of Object.entries(s?.by_code ?? {})) out[k] = (out[k] ?? 0) + v;
  return out;
};

describe('target unreachable at start (real CLI)', () => {
  it('nothing listens: one line naming the target and ECONNREFUSED, exit 1, within seconds', async () => {
    const port = await deadPort();
    const r = await runCli(['run', 'smoke', '--target', `http://127.0.0.1:${port}`, '--out', join(dir, 'dead'), '--no-progress'], 30_000);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`ujibeban: target http://127\\.0\\.0\\.1:${port} is unreachable \\(ECONNREFUSED\\); is the server running\\?`));
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    // tsx start-up included (seconds on a busy machine); the check itself is timed below.
    expect(r.ms).toBeLessThan(45_000);
    await expect(stat(join(dir, 'dead'))).rejects.toThrow(); // no empty --out folder left behind

    const t0 = Date.now();
    await expect(runCommand('smoke', flags({ out: join(dir, 'dead2'), target: `http://127.0.0.1:${port}` }), quiet))
      .rejects.toMatchObject({ exitCode: 1, message: expect.stringMatching(/is unreachable \(ECONNREFUSED\)/) });
    expect(Date.now() - t0).toBeLessThan(3000);
  }, 60_000);

  it('a socket that accepts and never answers: ETIMEDOUT after 5 s, exit 1', async () => {
    const sockets: Socket[] = [];
    const hole: Server = createServer((s) => { sockets.push(s); });
    await new Promise<void>((r) => hole.listen(0, '127.0.0.1', () => r()));
    const port = (hole.address() as { port: number }).port;
    try {
      const t0 = Date.now();
      await expect(runCommand('smoke', flags({ out: join(dir, 'hole'), target: `http://127.0.0.1:${port}` }), quiet))
        .rejects.toMatchObject({ exitCode: 1, message: expect.stringMatching(/unreachable \(no answer to GET meta within 5 s \(ETIMEDOUT\)\)/) });
      const ms = Date.now() - t0;
      expect(ms).toBeGreaterThan(4500);
      expect(ms).toBeLessThan(8000);
    } finally {
      for (const s of sockets) s.destroy();
      hole.close();
    }
  }, 30_000);
});

describe('the target dies mid-run', () => {
  let server: CliServer;
  beforeAll(async () => { server = await startCliServer(['--scenario', 'smoke', '--db', ':memory:']); });
  afterAll(async () => { await server.stop(); });

  it('counts errors by kind, keeps the schedule, ends on time, writes the reports, exits 99', async () => {
    // smoke at 4800x: ~8.3 s of arrivals; the server is SIGKILLed ~4 s in.
    const timeScale = 4800;
    const out = join(dir, 'dies');
    const t0 = Date.now();
    let killedAt = 0;
    const killer = setTimeout(() => { killedAt = Date.now(); server.child.kill('SIGKILL'); }, 4500);
    const code = await runCommand('smoke', flags({ out, target: server.url, timeScale: String(timeScale) }), quiet);
    clearTimeout(killer);
    const wall = Date.now() - t0;
    expect(killedAt).toBeGreaterThan(0);
    expect(code).toBe(99);

    const r = await readResult(join(out, 'result.json'));
    expect(r.partial).toBe(false);
    expect(r.pass).toBe(false);
    // Errors by kind: refused connections after the death (and possibly resets of the sockets it had).
    const byCode = r.summary.requests.by_code;
    expect(byCode.ECONNREFUSED).toBeGreaterThan(0);
    const transport = Object.entries(byCode).filter(([k]) => /^(ECONN|EPIPE|UND_ERR|ETIMEDOUT)/.test(k)).reduce((a, [, v]) => a + v, 0);
    expect(transport).toBe(r.summary.requests.by_status.error);
    expect(r.summary.requests.ok).toBeGreaterThan(0); // the first half went through

    // Arrivals keep their schedule: every planned arrival was offered, in the interval it was due.
    const planned = plannedPerInterval('smoke', [], timeScale);
    const offered = r.timeline.map((t) => t.offered);
    expect(offered.reduce((a, b) => a + b, 0)).toBe(planned.reduce((a, b) => a + b, 0));
    planned.forEach((n, i) => expect(Math.abs((offered[i] ?? 0) - n), `interval ${i}`).toBeLessThanOrEqual(2));
    expect(r.summary.requests.dropped).toBe(0);
    // Schedule lag stays small after the death (failures are fast; nothing waits on the dead server).
    const deathS = (killedAt - Date.parse(r.meta.started_at)) / 1000;
    const after = r.timeline.filter((t) => t.t_s > deathS + 1);
    expect(after.length).toBeGreaterThan(2);
    for (const t of after) expect(t.lag_p99_ms, `lag at t=${t.t_s}`).toBeLessThan(250);

    // Ends on time: arrivals (~8.3 s) + drain (5 s) + start-up and writing.
    expect(r.summary.duration_s).toBeLessThan(8.3 + 5 + 1);
    expect(wall).toBeLessThan((8.3 + 5 + 5) * 1000);
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).toContain('ECONNREFUSED/s');
  }, 60_000);
});

describe('an outage window', () => {
  let server: CliServer;
  beforeAll(async () => { server = await startCliServer(['--scenario', 'constant-rate', '--db', ':memory:']); });
  afterAll(async () => { await server.stop(); });

  it('shows ECONNREFUSED in the timeline and the errors chart during the outage, and none after it', async () => {
    // The target goes away 3 s in and comes back 3 s later (a relay switched off and on, so the
    // window's edges are exact); 100 reads/s for 10 s.
    const relay = await tcpSwitch(server.url);
    const out = join(dir, 'outage');
    const set = ['rate=100', 'duration="10s"', 'drain="2s"'];
    const planned = plannedPerInterval('constant-rate', set);
    let downAt = 0;
    let upAt = 0;
    let t0 = 0;
    // t = 0 is ~50 ms after the meta check and warm-up; the log line just before is the cue.
    const log = (line: string): void => {
      if (t0 !== 0 || !line.startsWith('running ')) return;
      t0 = Date.now();
      setTimeout(() => { downAt = Date.now(); void relay.down(); }, 3000);
      setTimeout(() => { void relay.up().then(() => { upAt = Date.now(); }); }, 6000);
    };
    try {
      const code = await runCommand('constant-rate', flags({ out, target: relay.url, set }), log);
      expect(code).toBe(99); // rate(errors)<0.01 fails
      const r = await readResult(join(out, 'result.json'));
      const origin = Date.parse(r.meta.started_at);
      const downS = (downAt - origin) / 1000;
      const upS = (upAt - origin) / 1000;
      expect(downS).toBeGreaterThan(2);
      expect(upS).toBeLessThan(8);

      // Offered follows the plan throughout, down or up.
      r.timeline.forEach((t, i) => expect(Math.abs(t.offered - (planned[i] ?? 0)), `interval ${i}`).toBeLessThanOrEqual(3));
      // Refused only while down (the intervals holding an edge may have both).
      r.timeline.forEach((t, i) => {
        const refused = codesIn(r, i).ECONNREFUSED ?? 0;
        if (t.t_s + 1 <= downS || t.t_s >= upS) expect(refused, `t=${t.t_s}`).toBe(0);
      });
      const inside = r.timeline.filter((t) => t.t_s >= downS && t.t_s + 1 <= upS);
      expect(inside.length).toBeGreaterThanOrEqual(1);
      for (const t of inside) expect(codesIn(r, r.timeline.indexOf(t)).ECONNREFUSED ?? 0, `t=${t.t_s}`).toBeGreaterThan(80);
      const afterUp = r.timeline.filter((t) => t.t_s >= upS + 0.5 && t.t_s + 1 <= 10);
      expect(afterUp.length).toBeGreaterThan(0);
      for (const t of afterUp) expect(t.series.read?.ok ?? 0, `t=${t.t_s}`).toBeGreaterThan(90);

      // The report's errors chart carries the same window: an ECONNREFUSED/s line, non-zero only while down.
      const chart = errorsChart(r, chartContext(r), buckets(r.timeline.length, 1500));
      const li = chart.lines.findIndex((l) => l.label === 'ECONNREFUSED/s');
      expect(li).toBeGreaterThan(0);
      const series = chart.data[li + 1] as number[];
      expect(Math.max(...series)).toBeGreaterThan(80);
      expect(series.filter((v) => v > 0).length).toBeLessThanOrEqual(Math.ceil(upS - downS) + 1);
      expect(await readFile(join(out, 'report.html'), 'utf8')).toContain('ECONNREFUSED/s');
    } finally {
      await relay.close();
    }
  }, 60_000);
});
