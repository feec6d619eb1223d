/**
 * PUT /api/v1/tps/{tps}/c1/{contest}: a C1 form upload (multipart: `data` JSON, then 1..N
 * `page` JPEGs). Cheap checks first (token, TPS, contest, token binding, content type and
 * length), then the body is read as it streams, the form validated and flagged by the
 * arithmetic guard, and the answer sent only after the group commit holding it is on disk.
 * 201 new or corrected (version+1), 200 identical re-upload (same receipt). A refusal stores
 * nothing.
 */
import { mkdirSync } from 'node:fs';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { checkArithmetic, isContestId, type ContestId } from '../../src/domain/index.js';
import { TokenVerifier } from '../auth/token.js';
import { ApiError } from '../errors.js';
import { parseFormData } from '../upload/form-schema.js';
import { readParts } from '../upload/read-parts.js';

interface Params { tps: string; contest: string }

export const uploadPlugin: FastifyPluginAsync = async (app) => {
  const { options, hierarchy, election } = app.ctx;
  const { limits } = options;
  if (options.keepPhotos) mkdirSync(options.keepPhotos, { recursive: true });
  // Bodies of any other type than JSON reach the handler unread: multipart is streamed by
  // readParts, the rest refused as NOT_MULTIPART.
  const unread = (_request: unknown, _payload: unknown, done: (err: null) => void): void => done(null);
  app.addContentTypeParser('*', unread);
  // The same, named: Fastify caches the parser of a named type; the catch-all is looked up anew each time.
  app.addContentTypeParser('multipart/form-data', unread);

  const tokens = new TokenVerifier(options.tokenSecret);
  const checkTarget = (request: FastifyRequest<{ Params: Params }>): { tps: string; contest: ContestId } => {
    const tokenTps = tokens.verify(request.headers.authorization, Math.floor(Date.now() / 1000));
    const { tps, contest } = request.params;
    if (hierarchy.tpsIndex(tps) < 0) throw new ApiError('UNKNOWN_TPS', `tps ${tps} is not a TPS of this server's ${options.election} hierarchy`);
    if (!isContestId(contest) || !election.contests.includes(contest)) {
      throw new ApiError('UNKNOWN_CONTEST', `contest "${contest}" is not one of ${options.election}'s (${election.contests.join(', ')})`);
    }
    if (!hierarchy.contestsAt(tps).includes(contest)) {
      throw new ApiError('CONTEST_NOT_HELD', `no ${contest} race is held at tps ${tps} (its contests: ${hierarchy.contestsAt(tps).join(', ')})`);
    }
    if (tokenTps !== tps) throw new ApiError('WRONG_TPS', `token was issued for tps ${tokenTps}, not ${tps}`);
    return { tps, contest };
  };

  app.put<{ Params: Params }>('/api/v1/tps/:tps/c1/:contest', { config: { fault: 'upload' } }, async (request, reply) => {
    // A refusal (thrown) goes to the error handler, which drains the rest of the body (bounded).
    const { tps, contest } = checkTarget(request);
    // readParts refuses a body that is not multipart or declares more than maxBodyBytes before reading it.
    const parts = await readParts(request, limits, options.keepPhotos, options.timeouts.bodyIdleMs, options.hashThreadAbove);
    const form = parseFormData(parts.data, contest, tps);
    if (parts.pages.length === 0) throw new ApiError('MISSING_PAGE', 'at least one "page" part (image/jpeg) is required');
    const guard = checkArithmetic(form);
    const result = await app.store.uploads.submit({
      tps, contest, contestsAtTps: hierarchy.contestsAt(tps).length,
      administrasi: form.administrasi, chart: form.chart, client: form.client,
      status_suara: guard.status_suara, status_adm: guard.status_adm, flags: guard.flags,
      photos: parts.pages, ts: Date.now(),
    });
    app.metrics.uploads.inc({ contest, outcome: result.outcome });
    if (result.outcome !== 'identical') for (const f of result.flags) app.metrics.flags.inc({ flag: f });
    reply.code(result.statusCode);
    return {
      receipt: result.receipt, version: result.version,
      status_suara: result.status_suara, status_adm: result.status_adm, flags: result.flags,
    };
  });
};
