import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { runLoad } from '../../loadgen/run.js';
import { baritoUtara, constantPlan, constantRateScenario, urlOf } from './helpers.js';

let app: FastifyInstance;
/** Called by the target on every progress read: lets a test interrupt relative to real traffic. */
let onRead: (n: number) => void = () => {};
let reads = 0;
beforeAll(async () => {
  app = Fastify();
  // Slow answers: sessions are still in flight when the run is interrupted.
  app.get('/api/v1/progress', async () => {
    onRead(++reads);
    await new Promise((r) => setTimeout(r, 300));
    return {};
  });
  // An overloaded login: every officer is told to come back in 30 s.
  app.post('/api/v1/auth/login', async (_req, reply) => reply.code(503).header('retry-after', '30')
    .send({ statusCode: 503, code: 'OVERLOADED', error: 'Service Unavailable', message: 'busy' }));
  await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => { await app.close(); });

describe('an interrupted run (SIGINT)', () => {
  it('stops arrivals, drains for the grace period and returns a partial, failing result', async () => {
    const ac = new AbortController();
    // Interrupt half a second after the 50th read reached the target (not on a wall-clock timer:
    // on a busy machine the warm-up before t = 0 can take a while).
    reads = 0;
    onRead = (n) => { if (n === 50) setTimeout(() => ac.abort(), 500); };
    const t0 = Date.now();
    const result = await runLoad({
      scenario: constantRateScenario({ rate: 100, durationMs: 10_000, request: 'read:progress', drainS: 30 }),
      hierarchy: baritoUtara(), plan: constantPlan(100, 10_000, 'read:progress'), targetUrl: urlOf(app),
      signal: ac.signal, graceMs: 1000,
    });
    onRead = () => {};
    expect(Date.now() - t0).toBeLessThan(8000);
    expect(result.partial).toBe(true);
    expect(result.pass).toBe(false);
    expect(result.failures.join('\n')).toMatch(/partial/);
    // About one second of arrivals, all answered during the grace period.
    expect(result.summary.requests.total).toBeGreaterThanOrEqual(50);
    expect(result.summary.requests.total).toBeLessThan(200);
    expect(result.summary.requests.failed).toBe(0);
  });

  it('ends after the drain even when officers are sleeping on a 30 s Retry-After', async () => {
    const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const t0 = Date.now();
    const scenario = constantRateScenario({ rate: 50, durationMs: 1000, request: 'login', drainS: 1 });
    scenario.officers = { ...scenario.officers, retry: { max: 5, baseMs: 100, capMs: 1000, jitter: 'full', honourRetryAfter: true } };
    const result = await runLoad({ scenario, hierarchy: baritoUtara(), plan: constantPlan(50, 1000, 'login', 270), targetUrl: urlOf(app) });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(result.series.login?.requests.by_code).toMatchObject({ OVERLOADED: 50 });
    expect(result.summary.requests.total).toBe(50); // the retries never came due
    await new Promise((r) => setTimeout(r, 50));
    expect(timers()).toBeLessThanOrEqual(before);
  });
});
