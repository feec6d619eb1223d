/**
 * GET/PUT /admin/faults: read or replace the fault configuration at runtime. Only from
 * loopback (127.0.0.0/8, ::1, ::ffff:127.x) and only with the admin token
 * (`x-admin-token: T` or `Authorization: Bearer T`), so a mock bound to another interface
 * cannot be steered from outside.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { ApiError } from '../errors.js';
import { faultConfigError, type FaultConfig } from './config.js';

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  if (address === '::1') return true;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

export const adminPlugin: FastifyPluginAsync = async (app) => {
  const expected = Buffer.from(app.ctx.options.adminToken);

  const guard = async (request: FastifyRequest): Promise<void> => {
    if (!isLoopback(request.socket.remoteAddress)) {
      throw new ApiError('ADMIN_LOOPBACK_ONLY', 'admin routes answer only on loopback');
    }
    const header = request.headers['x-admin-token'];
    const auth = request.headers.authorization;
    const given = typeof header === 'string' ? header : auth?.startsWith('Bearer ') ? auth.slice(7) : '';
    const got = Buffer.from(given);
    if (got.length !== expected.length || !timingSafeEqual(got, expected)) {
      throw new ApiError('ADMIN_TOKEN_REQUIRED', 'x-admin-token header with the admin token printed at start is required');
    }
  };

  app.get('/admin/faults', { config: { fault: 'none' }, onRequest: guard }, async () => app.faults.config);

  app.put<{ Body: FaultConfig }>('/admin/faults', {
    config: { fault: 'none' },
    onRequest: guard,
  }, async (request) => {
    // Our own Ajv: Fastify's default one strips unknown fields (removeAdditional), which
    // corrupts oneOf branches; a fault config is small and checked strictly here.
    const problem = faultConfigError(request.body);
    if (problem) throw new ApiError('INVALID_BODY', problem);
    app.faults.set(request.body);
    request.log.info({ faults: request.body }, 'fault configuration replaced');
    return app.faults.config;
  });
};
