/**
 * GET /api/v1/progress?region=CODE (national when absent, '' or '0'): the region's upload
 * progress and each child's. GET /api/v1/meta: what this server holds, so a load generator
 * can check that its scenario (election, regions, scale, seed) matches before it starts.
 */
import type { FastifyPluginAsync } from 'fastify';
import { ApiError } from '../errors.js';
import { childrenProgress, regionProgress } from '../views/progress.js';

/** Version of this HTTP API (bumped on incompatible changes). */
export const API_VERSION = '1';

export const progressPlugin: FastifyPluginAsync = async (app) => {
  const { options, hierarchy, election } = app.ctx;

  app.get<{ Querystring: { region?: string } }>('/api/v1/progress', {
    schema: {
      querystring: {
        type: 'object', additionalProperties: false,
        properties: { region: { type: 'string', pattern: '^(0|\\d{2}|\\d{4}|\\d{6}|\\d{10}|\\d{13})?$' } },
      },
    },
  }, async (request) => {
    const raw = request.query.region ?? '';
    const code = raw === '0' ? '' : raw;
    if (code !== '' && !hierarchy.region(code)) {
      throw new ApiError('UNKNOWN_REGION', `region ${code} is not in this server's hierarchy`);
    }
    const { queries, counters } = app.store;
    const self = regionProgress(hierarchy, queries, counters, code, election.contests);
    return { ...self, children: childrenProgress(hierarchy, queries, counters, code, election.contests), ts: new Date(counters.updatedAt(code)).toISOString() };
  });

  app.get('/api/v1/meta', async () => ({
    election: options.election,
    regions: options.regions,
    scale: options.scale,
    seed: options.seed,
    tps_total: hierarchy.totalTps,
    contests: election.contests,
    version: API_VERSION,
    limits: options.limits,
  }));
};
