/**
 * What every plugin reads: the resolved options and the region hierarchy the server holds
 * (deterministic from election, scale, seed and regions, so it matches the load generator's).
 */
import { Hierarchy, ELECTIONS, type Election } from '../src/domain/index.js';
import type { ResolvedOptions } from './options.js';
import { sharedPlugin } from './shared-plugin.js';

export interface ServerContext {
  options: ResolvedOptions;
  hierarchy: Hierarchy;
  election: Election;
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: ServerContext;
  }
}

export function makeContext(options: ResolvedOptions): ServerContext {
  const hierarchy = new Hierarchy({
    election: options.election, scale: options.scale, seed: options.seed, regions: options.regions,
  });
  return { options, hierarchy, election: ELECTIONS[options.election] };
}

export const contextPlugin = sharedPlugin<{ ctx: ServerContext }>(async (app, { ctx }) => {
  app.decorate('ctx', ctx);
}, 'ujibeban-context');
