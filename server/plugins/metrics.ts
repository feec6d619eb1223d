/**
 * Prometheus metrics in a Registry of this server's own (several servers may share a process:
 * tests, the embedded worker): requests and latency by route and status, in-flight requests,
 * uploads accepted by outcome, guard flags by name, group-commit batch sizes. GET /metrics.
 * The same latencies also go into an HDR histogram at µs resolution: GET /metrics/latency
 * (latency-histogram.ts).
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { sharedPlugin } from '../shared-plugin.js';
import { LatencyHistogram } from './latency-histogram.js';

export class Metrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'ujibeban_http_requests_total', help: 'HTTP requests answered, by route and status',
    labelNames: ['method', 'route', 'status'] as const, registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'ujibeban_http_request_duration_seconds', help: 'Time from request start to response end',
    labelNames: ['method', 'route', 'status'] as const, registers: [this.registry],
    // Sub-millisecond buckets: reads and logins take well under 1 ms. Finer percentiles (the
    // soak's p99 around 0.1 ms) come from the HDR histogram at /metrics/latency, not from more buckets.
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  });
  readonly inFlight = new Gauge({
    name: 'ujibeban_http_in_flight', help: 'Requests being handled', registers: [this.registry],
  });
  readonly uploads = new Counter({
    name: 'ujibeban_uploads_accepted_total', help: 'C1 uploads acknowledged, by contest and outcome (new, corrected, identical)',
    labelNames: ['contest', 'outcome'] as const, registers: [this.registry],
  });
  readonly flags = new Counter({
    name: 'ujibeban_upload_flags_total', help: 'Arithmetic-guard flags raised by accepted uploads',
    labelNames: ['flag'] as const, registers: [this.registry],
  });
  readonly batchSize = new Histogram({
    name: 'ujibeban_commit_batch_size', help: 'Uploads committed per transaction (group commit)',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512], registers: [this.registry],
  });
  /** Every request but the /metrics routes' own, µs resolution. */
  readonly durations = new LatencyHistogram();
  readonly faults = new Counter({
    name: 'ujibeban_faults_injected_total', help: 'Injected faults by kind (error, overload, stall)',
    labelNames: ['kind'] as const, registers: [this.registry],
  });
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Metrics;
  }
}

export const metricsPlugin = sharedPlugin(async (app) => {
  const m = new Metrics();
  app.decorate('metrics', m);
  // Callback-style hooks: an async hook costs a promise and a microtask turn per request.
  const leave = (): void => {
    m.inFlight.dec();
  };
  app.addHook('onRequest', (_request, reply, done) => {
    m.inFlight.inc();
    // 'close' also fires when the client goes away or a timeout cuts the request (no onResponse then).
    reply.raw.once('close', leave);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const labels = { method: request.method, route, status: String(reply.statusCode) };
    const ms = reply.elapsedTime;
    m.requests.inc(labels);
    m.latency.observe(labels, ms / 1000);
    if (route !== '/metrics' && route !== '/metrics/latency') m.durations.record(ms);
    done();
  });
  app.get('/metrics', { config: { fault: 'none' } }, async (_request, reply) => {
    reply.type(m.registry.contentType);
    return m.registry.metrics();
  });
  app.get('/metrics/latency', { config: { fault: 'none' } }, async () => m.durations.snapshot());
}, 'ujibeban-metrics');
