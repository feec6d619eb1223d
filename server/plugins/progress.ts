/**
 * GET /api/v1/progress?region=CODE (national when absent, '' or '0'): the region's upload
 * progress and each child's, and `ts`, when the region's data last changed (the newest upload
 * counted in it, for a TPS in its desa; when the store opened if none). Answers are served serialized from a bounded
 * cache until a committed batch touches the region (views/response-cache.ts).
 * GET /api/v1/meta: what this server holds, so a load generator can check that its scenario
 * (election, regions, scale, seed) matches before it starts.
 */
import type { FastifyPluginAsync } from 'fastify';
import { ApiError } from '../errors.js';
import { childrenProgress, regionProgress } from '../views/progress.js';
import { JSON_TYPE, ResponseCache } from '../views/response-cache.js';

/** Version of this HTTP API (bumped on incompatible changes). */
export const API_VERSION = '1';

export const progressPlugin: FastifyPluginAsync = async (app) => {
  const { options, hierarchy, election } = app.ctx;
  const { queries, counters } = app.store;
  const cache = new ResponseCache((region) => counters.seqOf(region));

  app.get<{ Querystring: { region?: string } }>('/api/v1/progress', {
    schema: {
      querystring: {
        type: 'object', additionalProperties: false,
        properties: { region: { type: 'string', pattern: '^(0|\\d{2}|\\d{4}|\\d{6}|\\d{10}|\\d{13})?$' } },
      },
    },
  }, async (request, reply) => {
    const raw = request.query.region ?? '';
    reply.type(JSON_TYPE);
    return cache.getOrBuild(raw, () => {
      const code = raw === '0' ? '' : raw;
      if (code !== '' && !hierarchy.region(code)) {
        throw new ApiError('UNKNOWN_REGION', `region ${code} is not in this server's hierarchy`);
      }
      // A TPS's answer changes with its desa's stamp; every other region's with its own.
      const stampRegion = code.slice(0, 10);
      const self = regionProgress(hierarchy, queries, counters, code, election.contests);
      return {
        region: stampRegion,
        value: {
          ...self, children: childrenProgress(hierarchy, queries, counters, code, election.contests),
          ts: new Date(counters.updatedAt(stampRegion)).toISOString(),
        },
      };
    });
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
