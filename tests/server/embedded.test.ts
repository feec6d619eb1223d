import { describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startEmbeddedServer } from '../../server/embedded.js';
import { MOCK_YOUNG_GENERATION_MB } from '../../server/young-generation.js';

describe('embedded mock server', () => {
  it('answers /healthz from a worker thread on loopback and closes', async () => {
    const s = await startEmbeddedServer({ election: 'pilkada-2024', regions: ['6205'], scale: 1, seed: 1, db: ':memory:' });
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const r = await request(`${s.url}/healthz`);
    expect(r.statusCode).toBe(200);
    expect(await r.body.json()).toEqual({ status: 'ok', db: true });
    const meta = await request(`${s.url}/admin/faults`, { headers: { 'x-admin-token': s.adminToken } });
    expect(meta.statusCode).toBe(200);
    await meta.body.dump();
    await s.close();
    await expect(request(`${s.url}/healthz`)).rejects.toThrow();
    expect(await s.ended).toBeNull(); // a thread that was closed ended without an error
  });

  it('gives the server thread its young-generation limit, or the one asked for', async () => {
    const s = await startEmbeddedServer({ election: 'pilkada-2024', regions: ['6205'], scale: 1, seed: 1, db: ':memory:' });
    const t = await startEmbeddedServer({ election: 'pilkada-2024', regions: ['6205'], scale: 1, seed: 1, db: ':memory:', youngGenerationMb: 24 });
    try {
      expect(s.youngGenerationMb).toBe(MOCK_YOUNG_GENERATION_MB);
      expect(t.youngGenerationMb).toBe(24);
      expect(s.totalTps).toBeGreaterThan(0);
      expect(s.db).toBe(':memory:');
    } finally {
      await Promise.all([s.close(), t.close()]);
    }
  });

  it('reports a start failure instead of hanging', async () => {
    await expect(startEmbeddedServer({ election: 'pilkada-2024', regions: ['88'], scale: 1, seed: 1, db: ':memory:' }))
      .rejects.toThrow(/88/);
  });
});
