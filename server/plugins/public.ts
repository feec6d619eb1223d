/**
 * Sirekap-shaped public JSON, what viewers and scrapers read on election night:
 * - /wilayah/{pemilu|pilkada}/{contest}/{codes...}.json: child regions of the last code
 *   ("0.json" for the provinces) as [{nama, id, kode, tingkat}], only where the contest is held;
 * - /{pemilu|pilkada}/hhcw/{contest}.json and /{...}/hhcw/{contest}/{codes...}.json: results
 *   of the nation, a region or a TPS (views/hhcw.ts).
 * Answers are served serialized from a bounded cache, keyed by path, until a committed batch
 * touches the region (a TPS: its desa) they were built from (views/response-cache.ts); the
 * region lists never change.
 */
import type { FastifyPluginAsync } from 'fastify';
import { contestsIn, isContestId, type ContestId } from '../../src/domain/index.js';
import { ApiError } from '../errors.js';
import { aggregateView, tpsView } from '../views/hhcw.js';
import { parseRegionPath } from '../views/public-paths.js';
import { JSON_TYPE, ResponseCache } from '../views/response-cache.js';

/** The region of entries that never change (region lists). */
const STATIC = '#static';

export const publicPlugin: FastifyPluginAsync = async (app) => {
  const { hierarchy, election, options } = app.ctx;
  const { queries, counters } = app.store;
  const cache = new ResponseCache((region) => (region === STATIC ? 0 : counters.seqOf(region)));

  const checkScope = (pub: string, contest: string): ContestId => {
    if (pub !== election.publicName) throw new ApiError('NOT_FOUND', `this server holds ${options.election} (/${election.publicName}/...), not /${pub}/`);
    if (!isContestId(contest) || !election.contests.includes(contest)) {
      throw new ApiError('UNKNOWN_CONTEST', `contest "${contest}" is not one of ${election.contests.join(', ')}`);
    }
    return contest;
  };
  const checkRegion = (rest: string, contest: ContestId): string => {
    const code = parseRegionPath(rest);
    if (code === null) throw new ApiError('UNKNOWN_REGION', `"${rest}" is not a region path like 62/6205.json`);
    if (code !== '' && !hierarchy.region(code)) throw new ApiError('UNKNOWN_REGION', `region ${code} is not in this server's hierarchy`);
    if (code !== '' && !contestsIn(options.election, code).includes(contest)) {
      throw new ApiError('CONTEST_NOT_HELD', `no ${contest} race is held in ${code}`);
    }
    return code;
  };

  app.get<{ Params: { pub: string; contest: string; '*': string } }>('/wilayah/:pub/:contest/*', async (request, reply) => {
    const { pub, contest: contestPart, '*': rest } = request.params;
    reply.type(JSON_TYPE);
    return cache.getOrBuild(`w/${pub}/${contestPart}/${rest}`, () => {
      const contest = checkScope(pub, contestPart);
      const code = checkRegion(rest, contest);
      const kids = hierarchy.children(code) ?? [];
      return {
        region: STATIC,
        value: kids
          .filter((k) => contestsIn(options.election, k.code).includes(contest))
          .map((k) => ({ nama: k.name, id: Number(k.code), kode: k.code, tingkat: k.level })),
      };
    });
  });

  app.get<{ Params: { pub: string; '*': string } }>('/:pub/hhcw/*', async (request, reply) => {
    const rest = request.params['*'];
    reply.type(JSON_TYPE);
    return cache.getOrBuild(`h/${request.params.pub}/${rest}`, () => {
      const slash = rest.indexOf('/');
      const contestPart = slash < 0 ? rest.replace(/\.json$/, '') : rest.slice(0, slash);
      const contest = checkScope(request.params.pub, contestPart);
      const code = slash < 0 ? (rest.endsWith('.json') ? '' : checkRegion(rest, contest)) : checkRegion(rest.slice(slash + 1), contest);
      return {
        region: code.slice(0, 10),
        value: code.length === 13
          ? tpsView(election, queries.currentForm(code, contest))
          : aggregateView(hierarchy, queries, counters, contest, code),
      };
    });
  });
};
