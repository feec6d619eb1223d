/**
 * Logging: pino JSON (pretty only when stdout is a TTY, through the pino-pretty transport),
 * secrets redacted wherever they might appear (Authorization, admin token, tokens, PINs,
 * secrets), one line per request at debug level (info would flood stdout under load) and
 * every 5xx at error level. Each request carries an id (x-request-id in and out).
 */
import { randomBytes } from 'node:crypto';
import { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { LoggerOptions } from 'pino';

export const REDACT = [
  'req.headers.authorization', 'req.headers["x-admin-token"]', 'headers.authorization', 'headers["x-admin-token"]',
  '*.token', '*.pin', '*.adminToken', '*.pinSecret', '*.tokenSecret', 'token', 'pin', 'adminToken', 'pinSecret', 'tokenSecret',
];

export function fastifyLogger(logger: LoggerOptions | false): FastifyServerOptions['logger'] {
  if (logger === false) return false;
  const pretty = process.stdout.isTTY && logger.transport === undefined;
  return {
    level: 'info',
    ...logger,
    redact: { paths: REDACT, censor: '[redacted]' },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } } : {}),
  };
}

/** Request ids: the caller's x-request-id if sane, else a short random prefix and a counter. */
export function requestIds(): Pick<FastifyServerOptions, 'genReqId' | 'requestIdHeader' | 'logController'> {
  const prefix = randomBytes(3).toString('hex');
  let n = 0;
  return {
    requestIdHeader: 'x-request-id',
    genReqId: () => `${prefix}-${(++n).toString(36)}`,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'reqId' }),
  };
}

export function addRequestLogging(app: FastifyInstance): void {
  // Callback-style hooks (no promise per request); the debug line is built only when it is logged.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    const failed = reply.statusCode >= 500;
    if (failed || (request.log as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled?.('debug')) {
      const entry = { method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 };
      if (failed) request.log.error(entry, 'request failed');
      else request.log.debug(entry, 'request done');
    }
    done();
  });
}
