/**
 * Capacity search, closed model (autocannon): N connections each send the next request as
 * soon as the previous answer arrives, for N in a list of steps. Where throughput stops
 * growing while p99 keeps climbing is the knee: the server's capacity for that endpoint.
 * Closed-model latencies understate queueing (coordinated omission) and are shown only to
 * locate the knee; election-day runs use the open-model engine.
 */
import autocannon from 'autocannon';
import { Hierarchy, PhotoPool, generateForm, ELECTIONS, type ElectionId } from '../src/domain/index.js';
import type { HttpResult, RequestSpec } from './http/types.js';
import { send } from './http/send.js';
import type { ProfileContext, TargetMeta, TargetProfile } from './profile.js';
import { createTransport } from './http/transport.js';
import { rngFor } from '../src/domain/rng.js';

export type ProbeEndpoint = 'read:progress' | 'login' | 'upload';

export interface ProbeStep {
  connections: number;
  /** Mean 2xx answers per second. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  non2xx: number;
  errors: number;
}

export interface ProbeResult {
  schema: 'ujibeban/probe@1';
  target: string;
  endpoint: ProbeEndpoint;
  durationS: number;
  steps: ProbeStep[];
  /** The last step before throughput stopped growing > 5% while p99 rose; null if it kept growing. */
  knee: { connections: number; rps: number; p99Ms: number } | null;
}

/** Index of the knee step (see ProbeResult.knee), or -1. */
export function findKnee(steps: readonly ProbeStep[], minGain = 0.05): number {
  for (let i = 1; i < steps.length; i++) {
    const gain = steps[i - 1].rps > 0 ? steps[i].rps / steps[i - 1].rps - 1 : Infinity;
    if (gain <= minGain && steps[i].p99Ms > steps[i - 1].p99Ms) return i - 1;
  }
  return -1;
}

/** The one request every connection repeats, built with the target profile (a login first for uploads). */
export async function probeRequest(url: string, profile: TargetProfile, meta: TargetMeta, endpoint: ProbeEndpoint, pinSecret: string): Promise<RequestSpec> {
  const hierarchy = new Hierarchy({ election: meta.election as ElectionId, scale: meta.scale, seed: meta.seed, regions: meta.regions });
  const ctx: ProfileContext = { election: meta.election as ElectionId, hierarchy, pinSecret };
  const tps = hierarchy.tpsCode(0);
  if (endpoint === 'read:progress') return profile.read(ctx, 'progress', rngFor(meta.seed, 'probe'));
  const login = profile.login(ctx, tps);
  if (endpoint === 'login') return login;
  const pool = createTransport(url, { connections: 1 });
  try {
    const res: HttpResult = await send(pool, login, 10_000);
    const token = profile.token(res);
    if (!token) throw new Error(`probe: login of TPS ${tps} failed (HTTP ${res.status} ${res.code})`);
    const contest = hierarchy.contestsAt(0)[0];
    const form = generateForm({ seed: meta.seed, tpsCode: tps, contest, meanDpt: hierarchy.dptPerTps(0), maxVoters: ELECTIONS[ctx.election].maxVotersPerTps });
    const pages = [new PhotoPool({ fixed: 300_000 }, meta.seed, 1).get(0)];
    // The same upload repeated: the first is a 201, the rest identical re-uploads (200).
    return profile.upload(ctx, token, { tpsCode: tps, contest, form, pages, revision: 0, client: { app: 'ujibeban', kind: 'probe' } });
  } finally {
    await pool.destroy();
  }
}

export async function runProbe(url: string, spec: RequestSpec, endpoint: ProbeEndpoint, connections: readonly number[], durationS: number,
  onStep?: (s: ProbeStep) => void): Promise<ProbeResult> {
  const body = spec.body === null ? undefined
    : typeof spec.body === 'string' || Buffer.isBuffer(spec.body) ? spec.body : Buffer.concat(spec.body as Buffer[]);
  const headers = { ...spec.headers };
  delete headers['content-length'];
  const steps: ProbeStep[] = [];
  for (const c of connections) {
    const r = await autocannon({
      url: new URL(spec.path, url).href, connections: c, duration: durationS, method: spec.method,
      headers, body, timeout: 30,
    });
    const step: ProbeStep = {
      connections: c,
      rps: r['2xx'] / Math.max(r.duration, 1e-3),
      p50Ms: r.latency.p50, p99Ms: r.latency.p99, maxMs: r.latency.max,
      non2xx: r.non2xx, errors: r.errors,
    };
    steps.push(step);
    onStep?.(step);
  }
  const k = findKnee(steps);
  return {
    schema: 'ujibeban/probe@1', target: url, endpoint, durationS, steps,
    knee: k >= 0 ? { connections: steps[k].connections, rps: steps[k].rps, p99Ms: steps[k].p99Ms } : null,
  };
}

export function formatProbe(r: ProbeResult): string {
  const rows = r.steps.map((s) =>
    `${String(s.connections).padStart(11)}  ${s.rps.toFixed(0).padStart(8)}  ${s.p50Ms.toFixed(1).padStart(8)}  ${s.p99Ms.toFixed(1).padStart(8)}  ${String(s.non2xx).padStart(7)}  ${String(s.errors).padStart(6)}`);
  const knee = r.knee
    ? `knee: ${r.knee.connections} connections, ${r.knee.rps.toFixed(0)} req/s at p99 ${r.knee.p99Ms.toFixed(1)} ms (more connections add latency, not throughput)`
    : 'knee: not reached (throughput still grew by > 5% at the last step; try more connections)';
  return [`probe ${r.endpoint} at ${r.target}, ${r.durationS} s per step (closed model)`,
    'connections     req/s   p50 ms   p99 ms   non2xx  errors', ...rows, knee].join('\n');
}
