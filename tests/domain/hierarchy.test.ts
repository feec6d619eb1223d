import { describe, expect, it } from 'vitest';
import { Hierarchy, allocate, provinces, contestsIn } from '../../src/domain/index.js';

describe('the synthesized hierarchy', () => {
  it('holds the national 435,296 TPS of pilkada-2024 at scale 1', () => {
    const h = new Hierarchy({ election: 'pilkada-2024', scale: 1, seed: 1, regions: 'all' });
    expect(h.totalTps).toBe(435_296);
    // Overseas holds no pilkada TPS.
    expect(h.provinces().map((p) => p.province.code)).not.toContain('99');
  });

  it('holds the 823,236 TPS of pemilu-2024 at scale 1, overseas included', () => {
    const h = new Hierarchy({ election: 'pemilu-2024', scale: 1, seed: 1, regions: 'all' });
    expect(h.totalTps).toBe(823_236);
    expect(h.zoneTotals().WIB + h.zoneTotals().WITA + h.zoneTotals().WIT).toBe(823_236);
  });

  it('keeps at least one TPS in every province at a tiny scale', () => {
    const h = new Hierarchy({ election: 'pemilu-2024', scale: 0.00001, seed: 1, regions: 'all' });
    expect(h.provinces()).toHaveLength(39);
    for (const p of h.provinces()) expect(p.tpsCount).toBeGreaterThanOrEqual(1);
  });

  it("gives Barito Utara its real nine kecamatan, 103 desa and 270 pilkada TPS", () => {
    const h = new Hierarchy({ election: 'pilkada-2024', scale: 1, seed: 7, regions: ['6205'] });
    expect(h.totalTps).toBe(270);
    const kec = h.children('6205')!;
    expect(kec.map((k) => k.code)).toEqual(['620501', '620502', '620503', '620504', '620505', '620506', '620507', '620508', '620509']);
    expect(kec[0].name).toBe('Montallat');
    expect(kec[8].name).toBe('Lahei Barat');
    const desa = kec.flatMap((k) => h.children(k.code)!);
    expect(desa).toHaveLength(103);
    expect(desa.reduce((s, d) => s + d.tpsCount, 0)).toBe(270);
    expect(h.region('62')?.name).toBe('Kalimantan Tengah');
  });

  it('gives Barito Utara the same codes whether the run covers it alone or all of Kalimantan Tengah', () => {
    const alone = new Hierarchy({ election: 'pilkada-2024', scale: 1, seed: 3, regions: ['6205'] });
    const prov = new Hierarchy({ election: 'pilkada-2024', scale: 1, seed: 3, regions: ['62'] });
    const r = prov.region('6205')!;
    for (let i = 0; i < 270; i += 17) expect(alone.tpsCode(i)).toBe(prov.tpsCode(r.tpsStart + i));
  });

  it('maps every index to a 13-digit code and back', () => {
    const h = new Hierarchy({ election: 'pilkada-2024', scale: 0.01, seed: 42, regions: 'all' });
    for (let i = 0; i < h.totalTps; i += 7) {
      const code = h.tpsCode(i);
      expect(code).toMatch(/^\d{13}$/);
      expect(h.tpsIndex(code)).toBe(i);
    }
    expect(h.tpsIndex('6205011001999')).toBe(-1);
    expect(h.tpsIndex('not-a-code')).toBe(-1);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const a = new Hierarchy({ election: 'pemilu-2024', scale: 0.05, seed: 1, regions: 'all' });
    const b = new Hierarchy({ election: 'pemilu-2024', scale: 0.05, seed: 1, regions: 'all' });
    const c = new Hierarchy({ election: 'pemilu-2024', scale: 0.05, seed: 2, regions: 'all' });
    const sample = (h: Hierarchy) => [0, 100, 5000, h.totalTps - 1].map((i) => h.tpsCode(i));
    expect(sample(a)).toEqual(sample(b));
    expect(sample(a)).not.toEqual(sample(c));
  });

  it('nests codes: every child code extends its parent', () => {
    const h = new Hierarchy({ election: 'pilkada-2024', scale: 0.02, seed: 5, regions: ['35'] });
    for (const kab of h.children('35')!) {
      expect(kab.code).toMatch(/^35\d{2}$/);
      for (const kec of h.children(kab.code)!) {
        expect(kec.code.startsWith(kab.code)).toBe(true);
        const desa = h.children(kec.code)!;
        expect(desa.every((d) => d.code.startsWith(kec.code) && d.code.length === 10)).toBe(true);
      }
    }
  });

  it('refuses unknown regions with a message naming the code', () => {
    expect(() => new Hierarchy({ election: 'pilkada-2024', scale: 1, seed: 1, regions: ['77'] })).toThrow(/77/);
    expect(() => new Hierarchy({ election: 'pilkada-2024', scale: 1, seed: 1, regions: ['6299'] })).toThrow(/6299/);
    expect(() => new Hierarchy({ election: 'pilkada-2024', scale: 1, seed: 1, regions: ['6'] })).toThrow(/"6"/);
    expect(() => new Hierarchy({ election: 'pilkada-2024', scale: 2, seed: 1, regions: 'all' })).toThrow(/scale/);
  });

  it('holds no governor race in DI Yogyakarta and no bupati race in Jakarta', () => {
    expect(contestsIn('pilkada-2024', '3471')).toEqual(['pkwkk']);
    expect(contestsIn('pilkada-2024', '3171')).toEqual(['pkwkp']);
    expect(contestsIn('pilkada-2024', '6205')).toEqual(['pkwkp', 'pkwkk']);
    expect(contestsIn('pemilu-2024', '9901')).toEqual(['ppwp', 'pdpr']);
  });

  it('allocates exactly, with at least one per bucket', () => {
    const a = allocate(100, [1, 2, 3, 4]);
    expect([...a].reduce((s, x) => s + x, 0)).toBe(100);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(1);
    expect(provinces()).toHaveLength(39);
  });
});
