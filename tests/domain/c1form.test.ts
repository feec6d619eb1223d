import { describe, expect, it } from 'vitest';
import {
  FLAGS, Hierarchy, PhotoPool, checkArithmetic, derivePin, endsWithEoi, generateForm, isJpeg,
  makeJpeg, misreadNumber, candidatesFor, type C1Form,
} from '../../src/domain/index.js';

const BU_TPS = '6205011001001'; // hypothetical code shape; the generator does not need a real one
const base = { seed: 1, tpsCode: BU_TPS, contest: 'pkwkk' as const, meanDpt: 426, maxVoters: 600 };

const clone = (f: C1Form): C1Form => JSON.parse(JSON.stringify(f));

describe('C1 forms and the arithmetic guard', () => {
  it('generates consistent tallies that pass every rule, across many TPS', () => {
    const h = new Hierarchy({ election: 'pemilu-2024', scale: 0.01, seed: 9, regions: 'all' });
    for (let i = 0; i < h.totalTps; i += 97) {
      const code = h.tpsCode(i);
      for (const contest of h.contestsAt(code)) {
        const form = generateForm({ seed: 9, tpsCode: code, contest, meanDpt: h.dptPerTps(i), maxVoters: 300 });
        expect(checkArithmetic(form)).toEqual({ status_suara: true, status_adm: true, flags: [] });
        expect(form.administrasi.pengguna_total_j).toBeLessThanOrEqual(300);
        expect(Object.keys(form.chart)).toEqual([...candidatesFor(contest, code)]);
      }
    }
  });

  it('is deterministic per TPS, contest and revision', () => {
    expect(generateForm(base)).toEqual(generateForm(base));
    expect(generateForm({ ...base, revision: 1 })).not.toEqual(generateForm(base));
  });

  it('gives Barito Utara two bupati pairs and Kalimantan Tengah four governor pairs', () => {
    expect(candidatesFor('pkwkk', BU_TPS)).toHaveLength(2);
    expect(candidatesFor('pkwkp', BU_TPS)).toHaveLength(4);
    expect(candidatesFor('ppwp', BU_TPS)).toEqual(['100025', '100026', '100027']);
    expect(candidatesFor('pkwkp', BU_TPS)[0]).toMatch(/^\d{7}$/);
  });

  it('flags an OCR misread (41 read as 91 style) on the vote sum', () => {
    const f = generateForm({ ...base, fault: 'misread' });
    const r = checkArithmetic(f);
    expect(r.status_suara).toBe(false);
    expect(r.flags).toContain(FLAGS.CHART_SUM);
  });

  it('misreads 8 as 0, 1 as 7 and 2 as 5', () => {
    expect(misreadNumber(81)).toBe(1);
    expect(misreadNumber(41)).toBe(47);
    expect(misreadNumber(125)).toBe(725);
    expect(misreadNumber(2)).toBe(5);
    expect(misreadNumber(3469)).toBeNull();
  });

  it('names each broken rule', () => {
    const good = generateForm(base);
    const cases: Array<[string, (f: C1Form) => void, string, 'status_suara' | 'status_adm']> = [
      ['chart sum', (f) => { f.chart[Object.keys(f.chart)[0]] += 1; }, FLAGS.CHART_SUM, 'status_suara'],
      ['sah + tidak sah', (f) => { f.administrasi.suara_tidak_sah += 1; }, FLAGS.VOTE_TOTAL, 'status_suara'],
      ['ballots used', (f) => { f.administrasi.pengguna_total_j += 1; f.administrasi.pengguna_total_l += 1; f.administrasi.pengguna_dpt_j += 1; f.administrasi.pengguna_dpt_l += 1; }, FLAGS.BALLOTS_USED, 'status_suara'],
      ['j = l + p', (f) => { f.administrasi.pemilih_dpt_l += 1; }, FLAGS.GENDER_SPLIT, 'status_adm'],
      ['users sum', (f) => { f.administrasi.pengguna_dptb_j += 1; f.administrasi.pengguna_dptb_l += 1; }, FLAGS.USERS_SUM, 'status_adm'],
      ['users <= registered', (f) => { f.administrasi.pemilih_dpt_j = 1; f.administrasi.pemilih_dpt_l = 1; f.administrasi.pemilih_dpt_p = 0; }, FLAGS.USERS_EXCEED, 'status_adm'],
    ];
    for (const [, mutate, flag, status] of cases) {
      const f = clone(good);
      mutate(f);
      const r = checkArithmetic(f);
      expect(r.flags).toEqual([flag]);
      expect(r[status]).toBe(false);
    }
  });

  it('checks the p (female) column too, and lists vote flags before administration flags', () => {
    const good = generateForm(base);
    const splitP = clone(good);
    splitP.administrasi.pengguna_dpt_p += 1;
    expect(checkArithmetic(splitP).flags).toEqual([FLAGS.GENDER_SPLIT, FLAGS.USERS_SUM]);
    const exceedP = clone(good);
    exceedP.administrasi.pemilih_dpt_p = 0;
    exceedP.administrasi.pemilih_dpt_l = exceedP.administrasi.pemilih_dpt_j;
    expect(checkArithmetic(exceedP).flags).toEqual([FLAGS.USERS_EXCEED]);
    const both = clone(good);
    both.administrasi.pemilih_dpt_l += 1;
    both.administrasi.suara_tidak_sah += 1;
    expect(checkArithmetic(both)).toEqual({ status_suara: false, status_adm: false, flags: [FLAGS.VOTE_TOTAL, FLAGS.GENDER_SPLIT] });
  });
});

describe('photos and PINs', () => {
  it('makes JPEGs of exactly the asked size, framed SOI…EOI', () => {
    for (const size of [304, 305, 307, 308, 65_537, 65_540, 131_079, 300_000]) {
      const p = makeJpeg(size, 1);
      expect(p.length).toBe(size);
      expect(isJpeg(p)).toBe(true);
      expect(endsWithEoi(p)).toBe(true);
    }
    expect(isJpeg(Buffer.from('GIF89a'))).toBe(false);
  });

  it('walks the JPEG segments from SOI to SOS without a broken length', () => {
    const p = makeJpeg(200_003, 2);
    let pos = 2;
    let segments = 0;
    while (p[pos + 1] !== 0xda) {
      expect(p[pos]).toBe(0xff);
      pos += 2 + p.readUInt16BE(pos + 2);
      segments++;
    }
    expect(segments).toBeGreaterThan(3);
  });

  it('pools photo buffers of sizes drawn from the distribution', () => {
    const pool = new PhotoPool({ lognormal: { median: 100_000, sigma: 0.3 } }, 1, 8);
    expect(pool.size).toBe(8);
    expect(pool.get(3)).toBe(pool.get(11));
    expect(pool.meanBytes()).toBeGreaterThan(50_000);
    expect(pool.meanBytes()).toBeLessThan(200_000);
  });

  it('derives a stable 6-digit PIN per TPS from the secret', () => {
    expect(derivePin('s', BU_TPS)).toMatch(/^\d{6}$/);
    expect(derivePin('s', BU_TPS)).toBe(derivePin('s', BU_TPS));
    expect(derivePin('s', BU_TPS)).not.toBe(derivePin('t', BU_TPS));
  });
});
