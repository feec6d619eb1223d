/** GET /healthz: the process answers and the database file is readable. */
import type { FastifyPluginAsync } from 'fastify';

export const healthPlugin: FastifyPluginAsync = async (app) => {
  const ping = app.store.db.prepare('SELECT 1').pluck();
  app.get('/healthz', { config: { fault: 'health' } }, async () => ({ status: 'ok', db: ping.get() === 1 }));
};
