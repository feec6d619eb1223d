/**
 * Renders every error as `{statusCode, code, error, message}`: ApiErrors as they are, Fastify's
 * own (schema validation, bad JSON, body limits) mapped to stable codes, anything else as a
 * 500 INTERNAL without internals. Unknown routes answer 404 NOT_FOUND in the same shape.
 */
import type { FastifyError } from 'fastify';
import { ApiError, errorBody } from '../errors.js';
import { drainAfterEarlyAnswer } from '../early-answer.js';
import { drainBounds } from '../options.js';
import { sharedPlugin } from '../shared-plugin.js';

function fromFastify(e: FastifyError): { status: number; code: string; message: string } | null {
  if (e.validation) {
    const where = e.validationContext ?? 'body';
    return { status: 400, code: where === 'querystring' ? 'INVALID_QUERY' : 'INVALID_BODY', message: `${where} ${e.message.replace(/^(body|querystring)\s*/, '')}` };
  }
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: e.message };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, code: 'INVALID_JSON', message: 'body is not valid JSON' };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, code: 'BODY_TOO_LARGE', message: e.message };
    default:
      if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
        return { status: e.statusCode, code: 'BAD_REQUEST', message: e.message };
      }
      return null;
  }
}

export const errorsPlugin = sharedPlugin(async (app) => {
  const bounds = drainBounds(app.ctx.options);
  app.setErrorHandler((err: FastifyError | ApiError, request, reply) => {
    // A refusal may leave before the body has all arrived: drain it (bounded) so the client reads the answer.
    drainAfterEarlyAnswer(request, reply, bounds);
    if (err instanceof ApiError) {
      reply.headers(err.headers);
      return reply.code(err.statusCode).send(errorBody(err.statusCode, err.code, err.message));
    }
    const known = fromFastify(err as FastifyError);
    if (known) return reply.code(known.status).send(errorBody(known.status, known.code, known.message));
    request.log.error({ err }, 'unhandled error');
    return reply.code(500).send(errorBody(500, 'INTERNAL', 'internal error (see the server log)'));
  });
  app.setNotFoundHandler((request, reply) => {
    drainAfterEarlyAnswer(request, reply, bounds);
    reply.code(404).send(errorBody(404, 'NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`));
  });
}, 'ujibeban-errors');
