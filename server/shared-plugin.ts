/**
 * Marks a Fastify plugin as non-encapsulated (what fastify-plugin does, without depending on
 * it): its decorators and hooks reach the routes registered beside it.
 */
import type { FastifyPluginAsync } from 'fastify';

export function sharedPlugin<O extends Record<string, unknown>>(fn: FastifyPluginAsync<O>, name: string): FastifyPluginAsync<O> {
  const f = fn as FastifyPluginAsync<O> & Record<symbol, unknown>;
  f[Symbol.for('skip-override')] = true;
  f[Symbol.for('fastify.display-name')] = name;
  return fn;
}
