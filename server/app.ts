/**
 * The mock recap server's factory: resolves the options, builds the hierarchy, and composes
 * one plugin per concern (context, errors, metrics, faults, storage, then the routes).
 * Nothing else happens here.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { clientErrorHandler, frameworkErrors } from './client-errors.js';
import { makeContext, contextPlugin } from './context.js';
import { faultConfigError } from './faults/config.js';
import { adminPlugin } from './faults/admin.js';
import { faultsPlugin } from './faults/plugin.js';
import { addRequestLogging, fastifyLogger, requestIds } from './logging.js';
import { resolveOptions, type ServerOptions } from './options.js';
import { errorsPlugin } from './plugins/errors.js';
import { healthPlugin } from './plugins/health.js';
import { loginPlugin } from './plugins/login.js';
import { metricsPlugin } from './plugins/metrics.js';
import { progressPlugin } from './plugins/progress.js';
import { publicPlugin } from './plugins/public.js';
import { storePlugin } from './plugins/store.js';
import { uploadPlugin } from './plugins/upload.js';

export type { ServerOptions } from './options.js';
export type { FaultConfig } from './faults/config.js';

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const resolved = resolveOptions(options);
  const faultProblem = faultConfigError(resolved.faults);
  if (faultProblem) throw new RangeError(faultProblem);
  const ctx = makeContext(resolved);
  const app = Fastify({
    logger: fastifyLogger(resolved.logger),
    ...requestIds(),
    // Uploads are streamed by the multipart plugin; this caps JSON bodies (login, admin).
    bodyLimit: 1024 * 1024,
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    // Slow and stalled clients (options.ts, ServerTimeouts); the body idle limit is the upload reader's.
    requestTimeout: resolved.timeouts.requestMs,
    keepAliveTimeout: resolved.timeouts.keepAliveMs,
    connectionTimeout: resolved.timeouts.connectionIdleMs,
    http: {
      // Node refuses a headers timeout above the request timeout.
      headersTimeout: resolved.timeouts.requestMs > 0 ? Math.min(resolved.timeouts.headersMs, resolved.timeouts.requestMs) : resolved.timeouts.headersMs,
      connectionsCheckingInterval: resolved.timeouts.checkIntervalMs,
    },
    clientErrorHandler,
    frameworkErrors,
  });
  addRequestLogging(app);
  await app.register(contextPlugin, { ctx });
  await app.register(errorsPlugin);
  await app.register(metricsPlugin);
  await app.register(faultsPlugin);
  await app.register(storePlugin);
  await app.register(healthPlugin);
  await app.register(loginPlugin);
  await app.register(uploadPlugin);
  await app.register(progressPlugin);
  await app.register(publicPlugin);
  await app.register(adminPlugin);
  return app;
}
