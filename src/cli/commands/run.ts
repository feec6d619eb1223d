/**
 * `ujibeban run <scenario>`: the load test. Loads and resolves the scenario, builds the plan,
 * checks everything that can fail cheaply before any load is sent (target on loopback and
 * reachable, target holds the same election/scale/seed/regions, --out writable), starts the
 * embedded mock when no --target is given, runs the engine, writes result.json, report.html,
 * junit.xml and summary.md, prints the text summary, and sets the exit code:
 * 0 pass, 99 checkpoints or thresholds failed, 2 bad usage or scenario, 1 anything else.
 */
import type { Command } from 'commander';
import { mkdir, mkdtemp, rm, rmdir, writeFile, access } from 'node:fs/promises';
import { constants as fsc, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_PIN_SECRET, Hierarchy } from '../../domain/index.js';
import { loadScenario } from '../../scenario/load.js';
import { describeScenario } from '../../scenario/describe.js';
import type { Scenario } from '../../scenario/types.js';
import type { ResultV1 } from '../../result/types.js';
import { writeReport } from '../../report/html.js';
import { renderJunit } from '../../report/junit.js';
import { renderSummaryMarkdown } from '../../report/summary.js';
import { renderTextSummary } from '../../report/text.js';
import { buildPlan, formatPlanDescription } from '../../../loadgen/plan/plan.js';
import { parseSegment } from '../../../loadgen/plan/segment.js';
import type { Plan, Segment } from '../../../loadgen/plan/types.js';
import { loadProfile, type TargetMeta, type TargetProfile } from '../../../loadgen/profile.js';
import { mockProfile } from '../../../loadgen/profiles/mock.js';
import { createProgress } from '../../../loadgen/progress.js';
import { ReceiptFile } from '../../../loadgen/receipts.js';
import { runLoad } from '../../../loadgen/run.js';
import { discardSpill, writeResultFile } from '../../../loadgen/record/result-file.js';
import { runWorkers } from '../../../loadgen/workers/pool.js';
import type { WorkerJob } from '../../../loadgen/workers/protocol.js';
import { mergeResults } from '../../report/merge.js';
import { send } from '../../../loadgen/http/send.js';
import { createTransport } from '../../../loadgen/http/transport.js';
import { startEmbeddedServer, type EmbeddedServer } from '../../../server/embedded.js';
import { EXIT, RunFailure, UsageError } from '../errors.js';
import { checkTarget, isLoopbackUrl } from '../target.js';
import { availableParallelism } from 'node:os';

export interface RunFlags {
  target?: string;
  targetProfile?: string;
  out?: string;
  scale?: string;
  timeScale?: string;
  seed?: string;
  set: string[];
  segment?: string;
  /** Absent: one per core, less one for the embedded server; 1 with --segment. */
  workers?: string;
  allowRemote?: boolean;
  startAt?: string;
  dryRun?: boolean;
  progress: boolean;
  pinSecret?: string;
  /** `--receipts [file]`: true = DIR/receipts.ndjson. */
  receipts?: string | boolean;
}

const collect = (v: string, prev: string[]): string[] => [...prev, v];

export function register(program: Command): void {
  program
    .command('run')
    .description('Run a scenario (open model) against the embedded mock server or a loopback --target; writes result.json, report.html, junit.xml, summary.md')
    .argument('<scenario>', 'a shipped scenario name (smoke, pilkada-2024-nasional, ...) or a scenario JSON file')
    .option('--target <url>', 'server to test (loopback only unless --allow-remote); default: start the embedded mock server')
    .option('--target-profile <file>', 'a .js/.ts module exporting a target profile (default: the mock API)')
    .option('--out <dir>', 'output folder (default reports/<scenario>-<timestamp>/)')
    .option('--scale <f>', 'override the scenario scale, (0, 1]')
    .option('--time-scale <x>', 'override the simulated seconds per real second')
    .option('--seed <n>', 'override the scenario seed')
    .option('--set <path=value>', 'override any scenario field (repeatable), e.g. --set limits.maxInFlight=500', collect, [])
    .option('--segment <k/n>', 'run segment k of n (every n-th TPS; merge the results with `ujibeban merge`)')
    .option('--workers <n>', 'run the plan as n segments in n worker threads and merge the results (default: one per core, less one when the server runs on this machine; 1 with --segment)')
    .option('--allow-remote', 'allow a --target that is not loopback (a staging server you own)')
    .option('--start-at <iso>', 'wait until this instant before t = 0 (start segments together)')
    .option('--dry-run', 'print what the scenario and plan will do, send nothing')
    .option('--no-progress', 'no live progress display')
    .option('--receipts [file]', 'write every acknowledged upload (2xx) as one NDJSON line {tps, contest, receipt, version, status, at} ' +
      '(default file: <out>/receipts.ndjson)')
    .option('--pin-secret <s>', `secret the mock derives officer PINs from (default "${DEFAULT_PIN_SECRET}")`)
    .action(async (scenarioArg: string, flags: RunFlags) => {
      process.exitCode = await runCommand(scenarioArg, flags);
    });
}

function num(flag: string, v: string | undefined, check: (x: number) => boolean, expected: string): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (!Number.isFinite(x) || !check(x)) throw new UsageError(`${flag}: expected ${expected}, got "${v}"`);
  return x;
}

/**
 * One worker per core, leaving one core to the server when it runs on this machine (the
 * embedded mock, or any loopback target); a --segment runs alone.
 */
export function defaultWorkers(serverOnThisMachine: boolean, segmented: boolean): number {
  if (segmented) return 1;
  return Math.max(1, availableParallelism() - (serverOnThisMachine ? 1 : 0));
}

export async function runCommand(scenarioArg: string, flags: RunFlags, log: (s: string) => void = (s) => process.stdout.write(`${s}\n`)): Promise<number> {
  const scale = num('--scale', flags.scale, (x) => x > 0 && x <= 1, 'a number in (0, 1]');
  const timeScale = num('--time-scale', flags.timeScale, (x) => x > 0, 'a positive number');
  const seed = num('--seed', flags.seed, (x) => Number.isInteger(x), 'an integer');
  const workers = num('--workers', flags.workers, (x) => Number.isInteger(x) && x >= 1, 'a whole number >= 1') ??
    defaultWorkers(flags.target === undefined || isLoopbackUrl(flags.target), flags.segment !== undefined);
  let segment: Segment | null = null;
  if (flags.segment !== undefined) {
    try { segment = parseSegment(flags.segment); } catch (e) { throw new UsageError(`--segment: ${(e as Error).message}`); }
  }
  let startAt: Date | null = null;
  if (flags.startAt !== undefined) {
    startAt = new Date(flags.startAt);
    if (Number.isNaN(startAt.getTime())) throw new UsageError(`--start-at: expected an ISO instant like 2024-11-27T06:00:00Z, got "${flags.startAt}"`);
  }
  if (flags.target !== undefined) checkTarget(flags.target, flags.allowRemote === true);

  const { scenario, file } = loadScenario(scenarioArg, { set: flags.set, scale, seed, timeScale });
  let hierarchy: Hierarchy;
  let plan: Plan;
  try {
    hierarchy = new Hierarchy(scenario);
    plan = buildPlan(scenario, hierarchy, segment ?? undefined);
  } catch (e) {
    throw new UsageError(`${file}: ${(e as Error).message}`);
  }

  if (flags.dryRun) {
    log(describeScenario(scenario));
    log('');
    log(formatPlanDescription(plan.describe()));
    return EXIT.pass;
  }
  if (workers > 1 && segment) {
    throw new UsageError(`--workers ${workers} with --segment ${flags.segment}: choose one (workers split the plan into segments themselves)`);
  }

  const profile: TargetProfile = flags.targetProfile ? await loadProfileOrUsage(flags.targetProfile) : mockProfile;
  const outDir = resolve(flags.out ?? join('reports', `${scenario.name}-${stamp(new Date())}`));
  const createdOut = await checkWritable(outDir);
  let wrote = false;
  let receipts: ReceiptFile | null = null;
  if (flags.receipts !== undefined && flags.receipts !== false) {
    const file = flags.receipts === true ? join(outDir, 'receipts.ndjson') : resolve(flags.receipts);
    try {
      receipts = await ReceiptFile.create(file);
    } catch (e) {
      if (createdOut) await rmdir(outDir).catch(() => undefined);
      throw new UsageError(`--receipts ${file}: not writable (${(e as Error).message})`);
    }
  }

  const pinSecret = flags.pinSecret ?? DEFAULT_PIN_SECRET;
  let server: EmbeddedServer | null = null;
  let dbDir: string | null = null;
  let targetUrl = flags.target ?? '';
  let result: ResultV1 | null = null;
  try {
    if (flags.target === undefined) {
      dbDir = await mkdtemp(join(tmpdir(), 'ujibeban-run-'));
      log(`starting the embedded mock server (${scenario.election}, scale ${scenario.scale}, seed ${scenario.seed})...`);
      server = await startEmbeddedServer({
        election: scenario.election, regions: scenario.regions, scale: scenario.scale, seed: scenario.seed,
        db: join(dbDir, 'mock.sqlite'), pinSecret,
      });
      targetUrl = server.url;
    }
    await checkMeta(targetUrl, profile, scenario, hierarchy, pinSecret);

    const abort = new AbortController();
    const onSigint = (): void => {
      if (abort.signal.aborted) return;
      process.stderr.write('\ninterrupted: no new arrivals; draining in-flight sessions (Ctrl-C again to stop now)\n');
      abort.abort();
      process.once('SIGINT', () => process.exit(130));
    };
    process.once('SIGINT', onSigint);
    log(`running ${scenario.name} against ${targetUrl}: ${formatS(plan.durationMs / 1000)} of arrivals + up to ${formatS(scenario.drainS)} drain ` +
      '(Ctrl-C: stop arrivals, drain, write a partial result)');
    if (startAt && startAt.getTime() > Date.now()) log(`waiting until ${startAt.toISOString()} to start (--start-at)`);
    const progress = flags.progress ? createProgress() : null;
    try {
      if (workers > 1) {
        // Every worker waits for the same instant, so the segments start together.
        const startAtMs = startAt?.getTime() ?? Date.now() + 3000;
        const jobs: WorkerJob[] = Array.from({ length: workers }, (_, i) => ({
          scenarioArg: file, load: { set: flags.set, scale, seed, timeScale },
          segment: { index: i + 1, count: workers }, targetUrl,
          targetProfile: flags.targetProfile ? resolve(flags.targetProfile) : null,
          pinSecret, embeddedServer: server !== null, startAtMs, receipts: receipts !== null,
        }));
        log(`running ${workers} segments in ${workers} worker threads`);
        const parts = await runWorkers({
          jobs, signal: abort.signal, onProgress: progress ? (p) => progress.update(p) : undefined,
          onReceipts: receipts ? (lines, count) => receipts!.writeChunk(lines, count) : undefined,
        });
        result = mergeResults(parts, { labels: parts.map((_, i) => `worker ${i + 1}`) });
      } else {
        result = await runLoad({
          scenario, scenarioFile: file, hierarchy, plan, targetUrl, profile, signal: abort.signal,
          onProgress: progress ? (p) => progress.update(p) : undefined,
          segment, startAt, pinSecret, embeddedServer: server !== null, receipts,
          // Interval histograms go to a temporary file during the run; writeOutputs streams
          // them into result.json and removes it (the finally below, if it never gets there).
          spillIntervals: true,
        });
      }
    } finally {
      process.off('SIGINT', onSigint);
      progress?.done();
    }
    if (receipts) {
      const r = receipts;
      receipts = null;
      await r.close();
      log(`wrote ${r.path} (${r.count} acknowledged uploads)`);
    }

    const paths = await writeOutputs(outDir, result);
    wrote = true;
    log('');
    log(renderTextSummary(result));
    log('');
    for (const p of paths) log(`wrote ${p}`);
    return result.pass ? EXIT.pass : EXIT.thresholds;
  } finally {
    // A result never written still has its spilled intervals in a temporary file.
    await discardSpill(result);
    // A run that failed before its end still leaves the receipts it got (flushed, fsynced);
    // an empty file is removed with the folder it would leave behind.
    if (receipts) {
      await receipts.close().catch(() => undefined);
      if (receipts.count === 0 && createdOut && !wrote) await rm(receipts.path, { force: true });
    }
    await server?.close();
    if (dbDir) await rm(dbDir, { recursive: true, force: true });
    // A run that failed before writing leaves no empty folder behind.
    if (createdOut && !wrote) await rmdir(outDir).catch(() => undefined);
  }
}

async function loadProfileOrUsage(file: string): Promise<TargetProfile> {
  try {
    return await loadProfile(file);
  } catch (e) {
    throw new UsageError(`--target-profile ${file}: ${(e as Error).message}`);
  }
}

function formatS(s: number): string {
  return s >= 120 ? `${(s / 60).toFixed(1)} min` : `${s.toFixed(1)} s`;
}

function stamp(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z').replace(/[:]/g, '').replace('T', '-');
}

/** Fails before any load is sent when the results could not be written; true if it created `dir`. */
async function checkWritable(dir: string): Promise<boolean> {
  const existed = existsSync(dir);
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, fsc.W_OK);
    const probe = join(dir, `.ujibeban-write-check-${process.pid}`);
    await writeFile(probe, '');
    await rm(probe, { force: true });
  } catch (e) {
    throw new UsageError(`--out ${dir}: not writable (${(e as Error).message})`);
  }
  return !existed;
}

/**
 * Reads what the target holds and compares it with the scenario: a run against a server
 * seeded differently would log in officers of TPS it does not know and report nonsense.
 */
async function checkMeta(url: string, profile: TargetProfile, s: Scenario, h: Hierarchy, pinSecret: string): Promise<void> {
  if (!profile.meta || !profile.parseMeta) return;
  const pool = createTransport(url, { connections: 1, connectTimeoutMs: 3000 });
  try {
    const res = await send(pool, profile.meta({ election: s.election, hierarchy: h, pinSecret }), 5000);
    if (res.status === 0) {
      const why = res.code === 'ETIMEDOUT' ? 'no answer to GET meta within 5 s (ETIMEDOUT)' : res.code;
      throw new RunFailure(`target ${url} is unreachable (${why}); is the server running? ` +
        '(start one with `ujibeban server`, or leave out --target to use the embedded mock)');
    }
    if (res.status !== 200) throw new RunFailure(`target ${url}: GET meta answered HTTP ${res.status} (${res.code})`);
    const meta = profile.parseMeta(res);
    if (!meta) throw new RunFailure(`target ${url}: the meta answer is not the expected JSON {election, regions, scale, seed, tps_total}`);
    const diffs = metaMismatch(meta, s, h);
    if (diffs.length > 0) {
      throw new UsageError(`target ${url} holds a different election than scenario "${s.name}": ${diffs.join('; ')}. ` +
        'Start the server with the same --election/--regions/--scale/--seed (or `ujibeban server --scenario <file>`)');
    }
  } finally {
    await pool.destroy().catch(() => undefined);
  }
}

export function metaMismatch(m: TargetMeta, s: Scenario, h: Hierarchy): string[] {
  const out: string[] = [];
  if (m.election !== s.election) out.push(`election: server ${m.election}, scenario ${s.election}`);
  if (Math.abs(m.scale - s.scale) > 1e-12) out.push(`scale: server ${m.scale}, scenario ${s.scale}`);
  if (m.seed !== s.seed) out.push(`seed: server ${m.seed}, scenario ${s.seed}`);
  const norm = (r: 'all' | string[]): string => (r === 'all' ? 'all' : [...r].sort().join(','));
  if (norm(m.regions) !== norm(s.regions)) out.push(`regions: server ${norm(m.regions)}, scenario ${norm(s.regions)}`);
  if (out.length === 0 && Number.isFinite(m.tps_total) && m.tps_total !== h.totalTps) {
    out.push(`TPS total: server ${m.tps_total}, scenario ${h.totalTps}`);
  }
  return out;
}

async function writeOutputs(dir: string, result: ResultV1): Promise<string[]> {
  const resultFile = join(dir, 'result.json');
  // Streamed when the run spilled its interval histograms (the same text as JSON.stringify(result, null, 1)).
  await writeResultFile(resultFile, result);
  const html = await writeReport(result, join(dir, 'report.html'));
  const junit = join(dir, 'junit.xml');
  await writeFile(junit, renderJunit(result), 'utf8');
  const md = join(dir, 'summary.md');
  await writeFile(md, renderSummaryMarkdown(result), 'utf8');
  return [resultFile, html, junit, md];
}
