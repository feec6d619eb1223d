/**
 * The per-request hooks (logging, metrics, faults) run as callback-style hooks: the request
 * line is logged at debug level only (built only when logged), every answer carries its
 * x-request-id, /metrics counts requests and the in-flight gauge returns to 0, and
 * /metrics/latency keeps every request's time inside the server at µs resolution.
 */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { LoggerOptions } from 'pino';
import { decodeHistogram } from '../../src/result/hdr.js';
import { call, removeDir, startServer, type TestServer } from './helpers.js';

function capture(level: string): { logger: LoggerOptions; lines: () => Array<Record<string, unknown>> } {
  const out: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      out.push(...chunk.toString().split('\n').filter(Boolean));
      cb();
    },
  });
  return { logger: { level, stream } as LoggerOptions, lines: () => out.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('request hooks', () => {
  let s: TestServer | null = null;
  afterEach(async () => {
    if (s) {
      await s.close();
      removeDir(s.dir);
      s = null;
    }
  });

  it('logs one debug line per request, with status and id, when the level is debug', async () => {
    const log = capture('debug');
    s = await startServer({ logger: log.logger });
    const r = await call(s.base, 'GET', '/healthz', { headers: { 'x-request-id': 'probe-1' } });
    expect(r.status).toBe(200);
    expect(r.headers['x-request-id']).toBe('probe-1');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const done = log.lines().filter((l) => l.msg === 'request done');
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ method: 'GET', url: '/healthz', status: 200, reqId: 'probe-1' });
  });

  it('logs no request line at info level', async () => {
    const log = capture('info');
    s = await startServer({ logger: log.logger });
    const r = await call(s.base, 'GET', '/healthz');
    expect(r.status).toBe(200);
    expect(typeof r.headers['x-request-id']).toBe('string');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(log.lines().filter((l) => l.msg === 'request done')).toHaveLength(0);
  });

  it('counts requests by route and status, and in-flight returns to 0', async () => {
    s = await startServer();
    await call(s.base, 'GET', '/healthz');
    await call(s.base, 'GET', '/no/such/route');
    const m = await call<string>(s.base, 'GET', '/metrics');
    const text = typeof m.body === 'string' ? m.body : JSON.stringify(m.body);
    expect(text).toMatch(/ujibeban_http_requests_total\{method="GET",route="\/healthz",status="200"\} 1/);
    expect(text).toMatch(/ujibeban_http_requests_total\{method="GET",route="unmatched",status="404"\} 1/);
    // The /metrics request itself is in flight while it is answered.
    expect(text).toMatch(/ujibeban_http_in_flight 1/);
    const again = await call<string>(s.base, 'GET', '/metrics');
    expect(String(again.body)).toMatch(/ujibeban_http_in_flight 1/);
  });

  it('keeps time inside the server in an HDR histogram at /metrics/latency, without the metrics routes', async () => {
    s = await startServer();
    const snapshot = async () => {
      const r = await call<{ unit: string; count: number; histogram: string }>(s!.base, 'GET', '/metrics/latency');
      expect(r.status).toBe(200);
      expect(r.body.unit).toBe('us');
      const h = decodeHistogram(r.body.histogram);
      expect(h.totalCount).toBe(r.body.count);
      return r.body.histogram;
    };
    for (let i = 0; i < 5; i++) await call(s.base, 'GET', '/api/v1/meta');
    await call(s.base, 'GET', '/metrics');
    const before = await snapshot();
    const quick = decodeHistogram(before);
    // The five reads only: neither /metrics nor this snapshot request is in it.
    expect(quick.totalCount).toBe(5);
    expect(quick.maxValue).toBeLessThan(150_000);

    const put = await call(s.base, 'PUT', '/admin/faults', { json: { latency: { fixed: 200 } }, headers: { 'x-admin-token': s.adminToken } });
    expect(put.status).toBe(200);
    for (let i = 0; i < 4; i++) await call(s.base, 'GET', '/api/v1/meta');
    const window = decodeHistogram(await snapshot());
    window.subtract(decodeHistogram(before));
    // The admin PUT (no fault on it) and the four delayed reads, each at least the injected 200 ms
    // (far from the quick side's bound, so a slow first request on a busy machine cannot blur them).
    expect(window.totalCount).toBe(5);
    expect(window.getValueAtPercentile(20)).toBeLessThan(150_000);
    expect(window.getValueAtPercentile(40)).toBeGreaterThanOrEqual(199_000);
  });
});
