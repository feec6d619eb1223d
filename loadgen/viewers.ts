/**
 * Viewer and executor-hit arrivals: one request of a kind, no session. Viewers are the
 * public reading recap JSON on election night (progress, hhcw, wilayah in the scenario's
 * mix); hits are a capacity executor's requests (constant-rate / ramping-rate), where login
 * and upload act for the arrival's TPS.
 */
import { ELECTIONS, generateForm, rngFor, type Rng } from '../src/domain/index.js';
import type { RequestKind } from '../src/scenario/types.js';
import { exchange } from './attempt.js';
import { nowUs } from './clock.js';
import type { EngineContext } from './context.js';
import { login } from './officer.js';
import type { ReadKind } from './profile.js';
import type { Arrival } from './plan/types.js';

/** Tokens kept for upload hits; beyond this the map is cleared (bounded memory). */
const MAX_TOKENS = 50_000;

/** The read kind of a viewer arrival: the plan's request, else drawn from the mix. */
export function readKindOf(ctx: EngineContext, request: RequestKind | null, rng: Rng): ReadKind {
  if (request === 'read:progress') return 'progress';
  if (request === 'read:hhcw') return 'hhcw';
  if (request === 'read:wilayah') return 'wilayah';
  const s = ctx.scenario;
  if (s.executor !== 'election-day') return 'progress';
  const m = s.viewers.mix;
  const sum = m.progress + m.hhcw + m.wilayah || 1;
  const x = rng() * sum;
  return x < m.progress ? 'progress' : x < m.progress + m.hhcw ? 'hhcw' : 'wilayah';
}

export function viewerRng(seed: number): Rng {
  return rngFor(seed, 'viewers');
}

export async function runRead(ctx: EngineContext, a: Arrival, intendedUs: number, rng: Rng): Promise<void> {
  const kind = readKindOf(ctx, a.request, rng);
  await exchange(ctx, 'read', 'read', ctx.profile.read(ctx.pctx, kind, rng), intendedUs, rng);
}

export async function runHit(ctx: EngineContext, a: Arrival, intendedUs: number, rng: Rng): Promise<void> {
  if (a.request === 'login' || a.request === 'upload') {
    const tps = a.tps >= 0 ? a.tps : Math.floor(rng() * ctx.hierarchy.totalTps);
    const code = ctx.hierarchy.tpsCode(tps);
    if (a.request === 'login') {
      await login(ctx, code, intendedUs, rng);
      return;
    }
    let token = ctx.tokens.get(code) ?? null;
    let at = intendedUs;
    if (token === null) {
      token = await login(ctx, code, intendedUs, rng);
      if (token === null) return;
      if (ctx.tokens.size >= MAX_TOKENS) ctx.tokens.clear();
      ctx.tokens.set(code, token);
      at = nowUs();
    }
    const contests = ctx.hierarchy.contestsAt(tps);
    const contest = contests[Math.floor(rng() * contests.length)];
    const form = generateForm({
      seed: ctx.seed, tpsCode: code, contest, meanDpt: ctx.hierarchy.dptPerTps(tps),
      maxVoters: ELECTIONS[ctx.hierarchy.election].maxVotersPerTps,
    });
    const pages: Buffer[] = [];
    for (let p = 0; p < ctx.officers.pagesPerForm; p++) pages.push(ctx.photos.get(tps + p));
    const spec = ctx.profile.upload(ctx.pctx, token, { tpsCode: code, contest, form, pages, revision: 0, client: { app: 'ujibeban', kind: 'hit' } });
    const out = await exchange(ctx, 'upload', 'upload', spec, at, rng);
    if (out.verdict === 'reauth') ctx.tokens.delete(code);
    if (out.verdict === 'ok') {
      ctx.recorder.uploads.accepted++;
      const ack = ctx.profile.uploadAck(out.res);
      if (ack.flagged) ctx.recorder.uploads.flagged++;
      ctx.receipts?.add(code, contest, ack.receipt, ack.version, out.res.status);
    }
    return;
  }
  await runRead(ctx, a, intendedUs, rng);
}
