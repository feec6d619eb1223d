/**
 * "Beyond one process": one plan split in four segment processes (`run --segment K/4
 * --start-at T --target <one shared mock>`), merged with `ujibeban merge`, equals the same
 * plan run whole by one process against a fresh mock: TPS completed, requests per series,
 * latency histogram counts per series, checkpoint counts, uploads. And `--workers 2` gives
 * the same totals as `--workers 1`. The plan (barito-utara-segments.json, 54 TPS in 11 s)
 * has no session in flight at either checkpoint, so the counts cannot depend on timing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mergeCommand } from '../../src/cli/commands/merge.js';
import { runCommand, type RunFlags } from '../../src/cli/commands/run.js';
import { decodeHistogram } from '../../src/result/hdr.js';
import { SERIES, type ResultV1 } from '../../src/result/types.js';
import { readResult, requestsAnswered, runCli, startCliServer, type CliServer, type CliOutcome } from '../reliability/loadgen-helpers.js';

const SCENARIO = fileURLToPath(new URL('./barito-utara-segments.json', import.meta.url));
const N = 4;

let dir: string;
const servers: CliServer[] = [];
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'ujibeban-segments-')); });
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await rm(dir, { recursive: true, force: true });
});

const flags = (o: Partial<RunFlags>): RunFlags => ({ set: [], workers: '1', progress: false, ...o });
const quiet = (): void => undefined;

/** What must not change when a plan is split: counts, never timings. */
function totals(r: ResultV1): Record<string, unknown> {
  const series: Record<string, unknown> = {};
  for (const name of SERIES) {
    const s = r.series[name];
    if (!s) continue;
    const h = r.histograms.total[`${name}.latency`];
    series[name] = {
      requests: s.requests.total, dropped: s.requests.dropped,
      // Logins and uploads always succeed on a healthy mock; reads of a TPS not yet uploaded
      // may be 404 depending on when they land, so only their total is compared.
      ...(name === 'read' ? {} : { ok: s.requests.ok, failed: s.requests.failed }),
      latency_count: h ? decodeHistogram(h).totalCount : 0,
    };
  }
  return {
    tps: { total: r.summary.tps.total, completed: r.summary.tps.completed },
    uploads: r.summary.uploads,
    series,
    checkpoints: r.checkpoints.map((c) => ({ at: c.at, completed: c.completed, total: c.total, pass: c.pass })),
    provinces: r.provinces.map((p) => ({ code: p.code, total: p.total, completed: p.completed })),
    offered: r.timeline.reduce((a, t) => a + t.offered, 0),
  };
}

describe(`one plan in ${N} segment processes, merged`, () => {
  let whole: ResultV1;

  it('equals the same plan run whole by one process; --workers 2 equals --workers 1', async () => {
    const [shared, fresh] = await Promise.all([
      startCliServer(['--scenario', SCENARIO, '--db', ':memory:']),
      startCliServer(['--scenario', SCENARIO, '--db', ':memory:']),
    ]);
    servers.push(shared, fresh);

    // The whole plan first, in this process against the fresh mock (alone: its checkpoint
    // counts must not suffer from the segment processes' start-up hogging both cores).
    const code = await runCommand(SCENARIO, flags({ target: fresh.url, out: join(dir, 'whole') }), quiet);
    whole = await readResult(join(dir, 'whole', 'result.json'));
    expect(code, whole.failures.join('; ')).toBe(0);

    // Then the segments, started together 15 s from now (tsx start-up of four processes on two
    // cores takes 3-15 s; one that is late starts at once and reports it in clock_offset_ms).
    const startAt = new Date(Date.now() + 15_000).toISOString();
    const segments: Array<Promise<CliOutcome>> = [];
    for (let k = 1; k <= N; k++) {
      segments.push(runCli(['run', SCENARIO, '--segment', `${k}/${N}`, '--start-at', startAt, '--target', shared.url,
        '--out', join(dir, `seg${k}`), '--no-progress'], 60_000));
    }
    const outcomes = await Promise.all(segments);
    outcomes.forEach((o, i) => expect(o.code, `segment ${i + 1}: ${o.stderr} ${o.stdout.slice(-1500)}`).toBe(0));
    const parts = await Promise.all(outcomes.map((_, i) => readResult(join(dir, `seg${i + 1}`, 'result.json'))));
    parts.forEach((p, i) => {
      expect(p.meta.segment).toEqual({ index: i + 1, count: N });
      // On time, or late by what the result reports (a process not ready at --start-at starts at
      // once and says by how much in clock_offset_ms; the merge aligns on the interval grid).
      expect(Date.parse(p.meta.started_at) - Date.parse(startAt)).toBeGreaterThanOrEqual(0);
      expect(Math.abs(Date.parse(p.meta.started_at) - Date.parse(startAt) - p.meta.clock_offset_ms)).toBeLessThan(5);
    });
    // Every segment has a share of the TPS (every 4th), none twice.
    expect(parts.map((p) => p.summary.tps.total).reduce((a, b) => a + b, 0)).toBe(whole.summary.tps.total);

    const merged = join(dir, 'merged', 'result.json');
    // `ujibeban merge seg1/result.json ... --out merged/result.json` (the command's own function).
    const mcode = await mergeCommand(parts.map((_, i) => join(dir, `seg${i + 1}`, 'result.json')), { out: merged, quiet: true });
    expect(mcode).toBe(0);
    const result = await readResult(merged);
    expect(result.meta.merged_from).toBe(N);
    expect(result.partial).toBe(false);
    expect(result.pass).toBe(true);

    expect(totals(result)).toEqual(totals(whole));
    expect(whole.summary.tps).toMatchObject({ total: 54, completed: 54 });
    expect(whole.checkpoints.map((c) => [c.completed, c.total])).toEqual([[49, 54], [54, 54]]);
    // Histogram counts are the request counts.
    for (const name of ['login', 'upload', 'read'] as const) {
      expect(decodeHistogram(result.histograms.total[`${name}.latency`]).totalCount).toBe(result.series[name]!.requests.total);
    }
    // The shared mock acknowledged exactly the uploads the merged result counts as ok.
    expect(await requestsAnswered(shared.url, /route="\/api\/v1\/tps\/:tps\/c1\/:contest",status="20[01]"/))
      .toBe(result.series.upload!.requests.ok);

    // --workers 2 (two segments in two threads, merged in process) against a fresh embedded mock.
    const wcode = await runCommand(SCENARIO, flags({ workers: '2', out: join(dir, 'workers2') }), quiet);
    expect(wcode).toBe(0);
    const w2 = await readResult(join(dir, 'workers2', 'result.json'));
    expect(w2.meta.merged_from).toBe(2);
    expect(totals(w2)).toEqual(totals(whole));
  }, 120_000);
});
