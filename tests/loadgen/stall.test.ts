/**
 * Coordinated omission, measured: a target that stops answering for 1 s every 10 s, hit at a
 * constant 200/s for 20 s. 10% of requests arrive during a stall and wait (1000 − s) ms, s
 * uniform, so latency from the intended time has p99 = 900 ms analytically. A closed-loop
 * tool would report the stall as a handful of slow requests; the open model must not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { runLoad } from '../../loadgen/run.js';
import { constantPlan, constantRateScenario, baritoUtara, urlOf } from './helpers.js';

const PERIOD_MS = 10_000;
const STALL_FROM_MS = 3_000;
const STALL_MS = 1_000;

let app: FastifyInstance;
let t0 = 0;
beforeAll(async () => {
  app = Fastify();
  app.get('/api/v1/progress', async () => {
    const now = Date.now();
    if (t0 === 0) t0 = now;
    const phase = (now - t0) % PERIOD_MS;
    if (phase >= STALL_FROM_MS && phase < STALL_FROM_MS + STALL_MS) {
      await new Promise((r) => setTimeout(r, STALL_FROM_MS + STALL_MS - phase));
    }
    return { ok: true };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => { await app.close(); });

describe('a stalling target (1 s of silence every 10 s)', () => {
  it('shows p99 ≈ 900 ms from the intended time, while service time stays low', async () => {
    const scenario = constantRateScenario({
      rate: 200, durationMs: 20_000, request: 'read:progress', drainS: 3,
      // Few sockets: requests queued behind a stall wait in the pool, not on the wire, so
      // their service time is short while their latency is not.
      limits: { maxInFlight: 5000, connections: 16 },
    });
    const plan = constantPlan(200, 20_000, 'read:progress');
    const result = await runLoad({ scenario, hierarchy: baritoUtara(), plan, targetUrl: urlOf(app) });
    const read = result.series.read!;
    expect(read.requests.total).toBe(4000);
    expect(read.requests.ok).toBe(4000);
    expect(result.summary.requests.dropped).toBe(0);
    expect(read.latency_ms.p99).toBeGreaterThan(800);
    expect(read.latency_ms.p99).toBeLessThan(1000);
    expect(read.latency_ms.max).toBeGreaterThan(900);
    expect(read.latency_ms.p50).toBeLessThan(50);
    expect(read.service_time_ms.p99).toBeLessThan(read.latency_ms.p99 / 2);
    // Mean rates over the run: 200/s offered, ~200/s answered.
    expect(result.summary.rate.offered_per_s).toBeGreaterThan(180);
    expect(result.timeline.length).toBeGreaterThanOrEqual(20);
  }, 40_000);
});
