/**
 * Faults as configured: added latency, injected 500s at the configured rate, periodic stalls
 * that hold requests, 503 + Retry-After beyond the upload cap, login-only faults, and the
 * loopback-only admin route that changes them at runtime.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLoopback } from '../../server/faults/admin.js';
import { call, formFor, login, multipart, pinOf, removeDir, startServer, tpsIn, upload, type TestServer } from './helpers.js';

const tps = tpsIn('6205');
const admin = (s: TestServer) => ({ 'x-admin-token': s.adminToken });
const setFaults = (s: TestServer, faults: unknown) => call(s.base, 'PUT', '/admin/faults', { json: faults, headers: admin(s) });

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const r = await fn();
  return [r, performance.now() - t0];
}

describe('faults on a Barito Utara mock', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(async () => {
    await s.close();
    removeDir(s.dir);
  });

  it('admin route refuses without the admin token and accepts with it', async () => {
    const none = await call(s.base, 'GET', '/admin/faults');
    expect(none.status).toBe(401);
    expect(none.body.code).toBe('ADMIN_TOKEN_REQUIRED');
    const wrong = await call(s.base, 'PUT', '/admin/faults', { json: {}, headers: { 'x-admin-token': 'nope' } });
    expect(wrong.status).toBe(401);
    const ok = await call(s.base, 'GET', '/admin/faults', { headers: admin(s) });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({});
  });

  it('admin route answers only on loopback', () => {
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('127.8.9.10')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopback('10.0.0.5')).toBe(false);
    expect(isLoopback('::ffff:192.168.1.2')).toBe(false);
    expect(isLoopback(undefined)).toBe(false);
  });

  it('admin route refuses an invalid fault configuration (400 INVALID_BODY)', async () => {
    const r = await setFaults(s, { errorRate: 2 });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('INVALID_BODY');
    const stall = await setFaults(s, { stall: { everyMs: 100, forMs: 200 } });
    expect(stall.body.code).toBe('INVALID_BODY');
  });

  it('adds a fixed latency to API requests but not to metrics', async () => {
    expect((await setFaults(s, { latency: { fixed: 400 } })).status).toBe(200);
    const [, ms] = await timed(() => call(s.base, 'GET', '/api/v1/meta'));
    expect(ms).toBeGreaterThanOrEqual(395);
    const [, metricsMs] = await timed(() => call(s.base, 'GET', '/metrics'));
    expect(metricsMs).toBeLessThan(300);
    await setFaults(s, {});
  });

  it('answers about errorRate of requests with 500 INJECTED_FAULT', async () => {
    await setFaults(s, { errorRate: 0.3 });
    const codes = await Promise.all(Array.from({ length: 400 }, () => call(s.base, 'GET', '/api/v1/meta')));
    const failed = codes.filter((r) => r.status === 500);
    expect(failed[0].body.code).toBe('INJECTED_FAULT');
    // 400 draws at p=0.3: mean 120, sd ~9.2; allow ±4 sd.
    expect(failed.length).toBeGreaterThan(83);
    expect(failed.length).toBeLessThan(157);
    await setFaults(s, {});
  });

  it('holds requests arriving during a stall until it ends', async () => {
    await setFaults(s, { stall: { everyMs: 400, forMs: 300 } });
    // The first window opens 400 ms after the config is set.
    await new Promise((r) => setTimeout(r, 420));
    const [r, ms] = await timed(() => call(s.base, 'GET', '/healthz'));
    expect(r.status).toBe(200);
    expect(ms).toBeGreaterThanOrEqual(200);
    await setFaults(s, {});
    const [, after] = await timed(() => call(s.base, 'GET', '/healthz'));
    expect(after).toBeLessThan(200);
  });

  it('answers 503 OVERLOADED with Retry-After beyond maxInFlightUploads', async () => {
    await setFaults(s, { maxInFlightUploads: 2, latency: { fixed: 300 }, retryAfterS: 7 });
    const codes = Array.from({ length: 5 }, (_, i) => tpsIn('6205', 40 + i));
    const tokens = await Promise.all(codes.map((c) => login(s.base, c)));
    const before = s.rows();
    const results = await Promise.all(codes.map((c, i) => upload(s.base, tokens[i], c, 'pkwkp', multipart(formFor(c, 'pkwkp')))));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 503, 503, 503]);
    const refused = results.find((r) => r.status === 503)!;
    expect(refused.body.code).toBe('OVERLOADED');
    expect(refused.headers['retry-after']).toBe('7');
    expect(s.rows()).toBe(before + 2);
    await setFaults(s, {});
  });

  it('fails logins only, as on the 13 Oct 2024 national test', async () => {
    await setFaults(s, { login: { errorRate: 1 } });
    const r = await call(s.base, 'POST', '/api/v1/auth/login', { json: { tps, pin: pinOf(tps) } });
    expect(r.status).toBe(500);
    expect(r.body.code).toBe('INJECTED_FAULT');
    expect((await call(s.base, 'GET', '/api/v1/meta')).status).toBe(200);
    await setFaults(s, { login: { latency: { fixed: 200 }, maxInFlight: 1 } });
    const [both, ms] = await timed(() => Promise.all([0, 1].map(() => call(s.base, 'POST', '/api/v1/auth/login', { json: { tps, pin: pinOf(tps) } }))));
    expect(both.map((x) => x.status).sort()).toEqual([200, 503]);
    expect(ms).toBeGreaterThanOrEqual(190);
    const [, metaMs] = await timed(() => call(s.base, 'GET', '/api/v1/meta'));
    expect(metaMs).toBeLessThan(190);
    await setFaults(s, {});
  });

  it('counts injected faults in /metrics', async () => {
    const m = await call(s.base, 'GET', '/metrics');
    expect(m.body).toMatch(/ujibeban_faults_injected_total\{kind="error"\} \d+/);
    expect(m.body).toMatch(/ujibeban_faults_injected_total\{kind="overload"\} \d+/);
  });
});

describe('faults from options', () => {
  it('starts with the configured fault and refuses an invalid one', async () => {
    const s = await startServer({ faults: { errorRate: 1 } });
    try {
      const r = await call(s.base, 'GET', '/api/v1/progress');
      expect(r.body.code).toBe('INJECTED_FAULT');
      expect((await call(s.base, 'GET', '/healthz')).status).toBe(200);
    } finally {
      await s.close();
      removeDir(s.dir);
    }
    await expect(startServer({ faults: { errorRate: -1 } })).rejects.toThrow(/errorRate/);
  });
});
