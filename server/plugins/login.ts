/**
 * POST /api/v1/auth/login {tps, pin} -> {token, expires_in}. The PIN of each TPS is derived
 * from the PIN secret (src/domain/pin.ts), so a load generator that knows the secret needs no
 * list. An unknown TPS answers 404 UNKNOWN_TPS rather than 401: this is a test rig, and a
 * scenario whose scale or seed differs from the server's should be told so plainly.
 */
import { timingSafeEqual } from 'node:crypto';
import { derivePin } from '../../src/domain/index.js';
import { ApiError } from '../errors.js';
import { signToken } from '../auth/token.js';
import type { FastifyPluginAsync } from 'fastify';

export const loginPlugin: FastifyPluginAsync = async (app) => {
  const { options, hierarchy } = app.ctx;
  app.post<{ Body: { tps: string; pin: string } }>('/api/v1/auth/login', {
    config: { fault: 'login' },
    schema: {
      body: {
        type: 'object', additionalProperties: false, required: ['tps', 'pin'],
        properties: { tps: { type: 'string', pattern: '^\\d{13}$' }, pin: { type: 'string', pattern: '^\\d{6}$' } },
      },
    },
  }, async (request) => {
    const { tps, pin } = request.body;
    if (hierarchy.tpsIndex(tps) < 0) {
      throw new ApiError('UNKNOWN_TPS', `tps ${tps} is not a TPS of this server's ${options.election} hierarchy (scale ${options.scale}, seed ${options.seed})`);
    }
    const want = Buffer.from(derivePin(options.pinSecret, tps));
    if (!timingSafeEqual(Buffer.from(pin), want)) {
      throw new ApiError('INVALID_CREDENTIALS', `wrong pin for tps ${tps}`);
    }
    const expiresAt = Math.floor(Date.now() / 1000) + options.tokenTtlS;
    return { token: signToken(options.tokenSecret, tps, expiresAt), expires_in: options.tokenTtlS };
  });
};
