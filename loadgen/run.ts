/**
 * runLoad(): one run of a plan against a target, start to result. Composes the pieces:
 * pool (http/), scheduler, sessions (officer.ts, viewers.ts), recorder (record/), live
 * progress; and owns the run's lifecycle: optional --start-at wait, the schedule, the drain
 * after the last arrival, SIGINT (stop arrivals, drain for a grace period, partial result),
 * and the teardown of every socket and timer.
 */
import type { Dispatcher } from 'undici';
import { PhotoPool, DEFAULT_PIN_SECRET, type Hierarchy, rngFor } from '../src/domain/index.js';
import type { ResultV1 } from '../src/result/types.js';
import type { Scenario } from '../src/scenario/types.js';
import { nowUs, sleepMs } from './clock.js';
import { provinceIndexer, type EngineContext } from './context.js';
import { send } from './http/send.js';
import { createTransport, type Transport } from './http/transport.js';
import { UndiciTransport } from './http/undici-transport.js';
import { runOfficer } from './officer.js';
import type { Plan, Segment } from './plan/types.js';
import { classifyDefault, type TargetProfile } from './profile.js';
import { mockProfile } from './profiles/mock.js';
import type { ProgressSnapshot } from './progress.js';
import type { ReceiptSink } from './receipts.js';
import { Recorder, warmUpRecorder } from './record/recorder.js';
import { toResult } from './record/result.js';
import { IntervalSpill } from './record/spill.js';
import { schedule } from './scheduler.js';
import { runHit, runRead, viewerRng } from './viewers.js';

export interface RunLoadOptions {
  scenario: Scenario;
  scenarioFile?: string | null;
  hierarchy: Hierarchy;
  plan: Plan;
  targetUrl: string;
  profile?: TargetProfile;
  /** Abort = SIGINT: stop arrivals, drain for `graceMs`, mark the result partial. */
  signal?: AbortSignal;
  onProgress?: (p: ProgressSnapshot) => void;
  /** How often onProgress is called, ms (default 1000). */
  progressEveryMs?: number;
  segment?: Segment | null;
  /** Wait until this wall-clock instant before t = 0 (segments started on several machines). */
  startAt?: Date | null;
  pinSecret?: string;
  embeddedServer?: boolean;
  /** Drain after an abort, ms (default min(drainS, 10 s)). */
  graceMs?: number;
  /** Send one meta request before t = 0 to warm the connection and the JIT (default true). */
  warmup?: boolean;
  /** Every acknowledged upload is added here (`run --receipts FILE`, see receipts.ts). */
  receipts?: ReceiptSink | null;
  /** An existing undici dispatcher to send through instead of a new transport (left open). */
  dispatcher?: Dispatcher;
  /** An existing transport to send through (left open; the bench counts its sends). */
  transport?: Transport;
  /**
   * Spill closed intervals' histograms to a temporary file (true: in the OS temp folder; a
   * string: in that folder) instead of holding them until the end. The result then carries
   * `histograms.intervals: []` and the spill: write it with writeResultFile() (which removes
   * the spill), or materializeIntervals() / discardSpill() it (record/result-file.ts).
   */
  spillIntervals?: boolean | string;
}

/** Lead time between building the run and t = 0, so the first arrivals are not born late. */
const LEAD_MS = 50;

export async function runLoad(o: RunLoadOptions): Promise<ResultV1> {
  const spill = o.spillIntervals ? new IntervalSpill(typeof o.spillIntervals === 'string' ? o.spillIntervals : undefined) : null;
  try {
    return await runWith(o, spill);
  } catch (e) {
    await spill?.dispose();
    throw e;
  }
}

async function runWith(o: RunLoadOptions, spill: IntervalSpill | null): Promise<ResultV1> {
  const { scenario, hierarchy, plan } = o;
  const profile = o.profile ?? mockProfile;
  const owned = !o.transport && !o.dispatcher;
  const pool: Transport = o.transport
    ?? (o.dispatcher ? new UndiciTransport(o.dispatcher, false) : createTransport(o.targetUrl, { connections: scenario.limits.connections }));
  const photos = new PhotoPool(scenario.officers.photoBytes, scenario.seed, 16);
  const provinceTotals = countProvinceTotals(hierarchy, plan, o.segment ?? null);

  // Warm-up before t = 0: the first request through a fresh process compiles the HTTP client
  // and the hot path, which stalls the loop for tens to hundreds of ms; paid here, it
  // does not show up as schedule lag of the first arrivals.
  if (profile.meta && o.warmup !== false) {
    await send(pool, profile.meta({ election: hierarchy.election, hierarchy, pinSecret: o.pinSecret ?? DEFAULT_PIN_SECRET }), 5000);
  }

  if (o.warmup !== false) warmUpRecorder();

  let clockOffsetMs = 0;
  if (o.startAt) {
    const wait = o.startAt.getTime() - Date.now() - LEAD_MS;
    // SIGINT while waiting ends the wait: the run then stops at once with an empty, partial result.
    if (wait > 0) await sleepMs(wait, o.signal);
  }
  const originUs = nowUs() + LEAD_MS * 1000;
  const startedAtMs = Date.now() + LEAD_MS;
  if (o.startAt) clockOffsetMs = startedAtMs - o.startAt.getTime();

  const recorder = new Recorder({
    originUs, intervalS: scenario.intervalS, simAt: (ms) => plan.simAt(ms),
    checkpoints: plan.checkpoints, provinceCount: hierarchy.provinces().length, deferEncoding: true, spill,
  });
  const stopController = new AbortController();
  const ctx: EngineContext = {
    pool, profile, scenario, hierarchy, recorder, photos,
    pctx: { election: hierarchy.election, hierarchy, pinSecret: o.pinSecret ?? DEFAULT_PIN_SECRET },
    officers: scenario.officers,
    seed: scenario.seed,
    timeScale: plan.timeScale > 0 ? plan.timeScale : 1,
    classify: profile.classify ?? classifyDefault,
    provinceIndexOf: provinceIndexer(hierarchy),
    stopping: false,
    stop: stopController.signal,
    receipts: o.receipts ?? null,
    tokens: new Map(),
  };
  const rng = viewerRng(scenario.seed);
  const hitRng = rngFor(scenario.seed, 'hits');

  const abort = new AbortController();
  const onAbort = (): void => abort.abort();
  o.signal?.addEventListener('abort', onAbort, { once: true });
  if (o.signal?.aborted) abort.abort();

  const sched = schedule({
    arrivals: plan.arrivals(),
    originUs,
    maxInFlight: scenario.limits.maxInFlight,
    signal: abort.signal,
    start: (a, intendedUs) => {
      if (a.kind === 'officer') return runOfficer(ctx, a.tps, intendedUs);
      if (a.kind === 'viewer') return runRead(ctx, a, intendedUs, rng);
      return runHit(ctx, a, intendedUs, hitRng);
    },
    onOffered: (_a, now) => recorder.arrivalOffered(now),
    onDropped: (a, now) => recorder.arrivalDropped(now, a.kind === 'viewer' ? 'read' : undefined),
  });

  // One timer closes intervals, freezes checkpoints and feeds the live display.
  let phase: ProgressSnapshot['phase'] = 'running';
  const everyMs = o.progressEveryMs ?? 1000;
  const tickMs = Math.min(everyMs, scenario.intervalS * 1000, 250);
  let lastReport = { t: 0, offered: 0, requests: 0 };
  let sinceReport = 0;
  const report = (): void => {
    if (!o.onProgress) return;
    const tS = (nowUs() - originUs) / 1e6;
    const so = recorder.requestsSoFar();
    const dt = Math.max(1e-3, tS - lastReport.t);
    const next = nextCheckpoint(plan, tS * 1000);
    const last = recorder.lastInterval();
    let p99 = 0;
    if (last) for (const s of Object.values(last.series)) p99 = Math.max(p99, s?.p99 ?? 0);
    o.onProgress({
      tS, durationS: plan.durationMs / 1000, simS: plan.simAt(tS * 1000),
      completed: recorder.completedTotal(), total: plan.officerCount, next,
      offeredPerS: (recorder.offered - lastReport.offered) / dt,
      achievedPerS: (so.total - lastReport.requests) / dt,
      p99Ms: p99, errors: so.failed, requests: so.total, dropped: recorder.dropped,
      inFlight: sched.inFlight(), phase,
    });
    lastReport = { t: tS, offered: recorder.offered, requests: so.total };
  };
  const timer = setInterval(() => {
    recorder.tick(nowUs());
    sinceReport += tickMs;
    if (sinceReport >= everyMs) { sinceReport = 0; report(); }
  }, tickMs);

  const outcome = await sched.done;
  const aborted = outcome.aborted || abort.signal.aborted;
  phase = aborted ? 'stopping' : 'draining';
  const drainMs = aborted
    ? (o.graceMs ?? Math.min(scenarioDrainS(scenario) * 1000, 10_000))
    : scenarioDrainS(scenario) * 1000;
  let drainTimer: NodeJS.Timeout | undefined;
  const drained = await Promise.race([
    sched.idle().then(() => true),
    new Promise<boolean>((r) => { drainTimer = setTimeout(() => r(false), drainMs); }),
  ]);
  clearTimeout(drainTimer);
  const endUs = nowUs();
  const endedAtMs = Date.now();
  ctx.stopping = true;
  stopController.abort();
  clearInterval(timer);
  o.signal?.removeEventListener('abort', onAbort);
  report();
  recorder.seal(endUs);
  if (!drained) {
    // Sessions still running past the drain: cut their sockets so they finish at once.
    if (owned) await pool.destroy().catch(() => undefined);
    await Promise.race([sched.idle(), sleepMs(2000)]);
  } else if (owned) {
    await pool.close().catch(() => undefined);
  }
  return toResult(recorder, {
    scenario, scenarioFile: o.scenarioFile ?? null, plan, hierarchy, provinceTotals,
    target: o.targetUrl, embeddedServer: o.embeddedServer ?? false, segment: o.segment ?? null,
    startedAtMs, endedAtMs, durationS: (endUs - originUs) / 1e6, clockOffsetMs, partial: aborted,
  });
}

function scenarioDrainS(s: Scenario): number {
  return s.drainS;
}

function nextCheckpoint(plan: Plan, realMs: number): { at: string; target: number } | null {
  for (const c of plan.checkpoints) {
    const ms = Math.max(...Object.values(c.realMsByZone).filter((v): v is number => v !== undefined));
    if (ms >= realMs) return { at: c.at, target: c.target };
  }
  return null;
}

/** TPS of this segment per province: whole provinces without a segment, else counted from the plan. */
export function countProvinceTotals(h: Hierarchy, plan: Plan, segment: Segment | null): Uint32Array {
  const ps = h.provinces();
  const out = new Uint32Array(ps.length);
  if (plan.officerCount === 0) return out;
  if (!segment || segment.count <= 1) {
    ps.forEach((p, i) => { out[i] = p.tpsCount; });
    return out;
  }
  const idx = provinceIndexer(h);
  const it = plan.arrivals();
  for (let n = it.next(); !n.done; n = it.next()) {
    if (n.value.kind === 'officer') out[idx(n.value.tps)]++;
  }
  return out;
}
