/**
 * One officer's session at one TPS, as on election night: log in, then one C1 upload per
 * contest held at the TPS, with photos; some officers re-send an upload (a flaky network:
 * expect 200 and the same receipt) or send a corrected tally (expect 201, version 2).
 *
 * Intended instants: the login at the arrival's instant; each later step at the moment the
 * previous one finished plus the think time (simulated, so divided by the time scale); a
 * retry at its backoff instant (see attempt.ts). The TPS is complete when every contest's
 * upload was accepted; the completion is stamped at that moment for the checkpoints. In
 * "login-only" mode (a login storm) the session ends, complete, at its login.
 */
import { ELECTIONS, generateForm, rngFor, type ContestId, type Rng } from '../src/domain/index.js';
import { exchange } from './attempt.js';
import { nowUs } from './clock.js';
import type { EngineContext } from './context.js';
import type { HttpResult } from './http/types.js';
import type { UploadInput } from './profile.js';

const CLIENT = { app: 'ujibeban', kind: 'officer' } as const;

/** Logs in with retries; null when the officer gives up. */
export async function login(ctx: EngineContext, tpsCode: string, intendedUs: number, rng: Rng): Promise<string | null> {
  const out = await exchange(ctx, 'login', 'login', ctx.profile.login(ctx.pctx, tpsCode), intendedUs, rng);
  return out.verdict === 'ok' ? ctx.profile.token(out.res) : null;
}

/** Writes an acknowledged upload to the receipts file (`run --receipts`), if any. */
export function noteReceipt(ctx: EngineContext, code: string, contest: string, res: HttpResult): void {
  if (ctx.receipts === null) return;
  const ack = ctx.profile.uploadAck(res);
  ctx.receipts.add(code, contest, ack.receipt, ack.version, res.status);
}

export async function runOfficer(ctx: EngineContext, tps: number, intendedUs: number): Promise<boolean> {
  const code = ctx.hierarchy.tpsCode(tps);
  const rng = rngFor(ctx.seed, `officer/${code}`);
  const thinkUs = (ctx.officers.thinkMs / ctx.timeScale) * 1000;
  let token = await login(ctx, code, intendedUs, rng);
  if (token === null) return false;
  if (ctx.officers.mode === 'login-only') {
    // A login storm: the session's goal is the login itself.
    ctx.recorder.completion(ctx.hierarchy.zoneOf(tps), ctx.provinceIndexOf(tps), nowUs());
    return true;
  }
  const contests = ctx.hierarchy.contestsAt(tps);
  const meanDpt = ctx.hierarchy.dptPerTps(tps);
  const maxVoters = ELECTIONS[ctx.hierarchy.election].maxVotersPerTps;
  const pages = ctx.officers.pagesPerForm;
  for (let c = 0; c < contests.length; c++) {
    if (ctx.stopping) return false;
    const contest: ContestId = contests[c];
    const fault = rng() < ctx.officers.misreadShare ? 'misread' : 'none';
    const form = generateForm({ seed: ctx.seed, tpsCode: code, contest, meanDpt, maxVoters, fault });
    const photos: Buffer[] = [];
    for (let p = 0; p < pages; p++) photos.push(ctx.photos.get(tps * 7 + c * pages + p));
    const upload: UploadInput = { tpsCode: code, contest, form, pages: photos, revision: 0, client: CLIENT };
    let spec = ctx.profile.upload(ctx.pctx, token, upload);
    let out = await exchange(ctx, 'upload', 'upload', spec, nowUs() + thinkUs, rng);
    if (out.verdict === 'reauth' && !ctx.stopping) {
      // A token expired or was revoked: log in again once, then send the same upload.
      token = await login(ctx, code, nowUs(), rng);
      if (token === null) return false;
      spec = ctx.profile.upload(ctx.pctx, token, upload);
      out = await exchange(ctx, 'upload', 'upload', spec, nowUs(), rng);
    }
    if (out.verdict !== 'ok') return false;
    const ack = ctx.profile.uploadAck(out.res);
    ctx.receipts?.add(code, contest, ack.receipt, ack.version, out.res.status);
    ctx.recorder.uploads.accepted++;
    if (ack.flagged) ctx.recorder.uploads.flagged++;
    if (rng() < ctx.officers.duplicateShare && !ctx.stopping) {
      const dup = await exchange(ctx, 'upload', 'upload', spec, nowUs(), rng);
      if (dup.verdict === 'ok') {
        ctx.recorder.uploads.duplicates++;
        noteReceipt(ctx, code, contest, dup.res);
      }
    }
    if (rng() < ctx.officers.correctionShare && !ctx.stopping) {
      const corrected = generateForm({ seed: ctx.seed, tpsCode: code, contest, meanDpt, maxVoters, fault: 'none', revision: 1 });
      const fix = ctx.profile.upload(ctx.pctx, token, { ...upload, form: corrected, revision: 1 });
      const res = await exchange(ctx, 'upload', 'upload', fix, nowUs() + thinkUs, rng);
      if (res.verdict === 'ok') {
        ctx.recorder.uploads.corrections++;
        noteReceipt(ctx, code, contest, res.res);
      }
    }
  }
  const p = ctx.provinceIndexOf(tps);
  ctx.recorder.completion(ctx.hierarchy.zoneOf(tps), p, nowUs());
  return true;
}
