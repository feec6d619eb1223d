/**
 * The C1 (C.Hasil) tally of one contest at one TPS, with Sirekap's field names, and a
 * generator of plausible, internally consistent tallies. Options inject what goes wrong in
 * the field: OCR-like misreads (8↔0, 1↔7, 2↔5) and plain arithmetic errors.
 */
import { candidatesFor } from './candidates.js';
import type { ContestId } from './elections.js';
import { intBetween, rngFor, type Rng } from './rng.js';

export const ADMIN_GROUPS = ['pemilih_dpt', 'pengguna_dpt', 'pengguna_dptb', 'pengguna_non_dpt', 'pengguna_total'] as const;
export type AdminGroup = (typeof ADMIN_GROUPS)[number];

export type Administrasi = {
  [K in `${AdminGroup}_${'j' | 'l' | 'p'}`]: number;
} & { suara_sah: number; suara_tidak_sah: number; suara_total: number };

export const ADMIN_FIELDS: readonly (keyof Administrasi)[] = [
  ...ADMIN_GROUPS.flatMap((g) => (['j', 'l', 'p'] as const).map((s) => `${g}_${s}` as keyof Administrasi)),
  'suara_sah', 'suara_tidak_sah', 'suara_total',
];

export interface C1Form {
  administrasi: Administrasi;
  /** Candidate (or party) id -> votes. */
  chart: Record<string, number>;
}

export type Fault = 'none' | 'misread' | 'arithmetic';

export interface FormOptions {
  seed: number;
  tpsCode: string;
  contest: ContestId;
  /** Mean registered voters at this TPS (from the hierarchy). */
  meanDpt: number;
  maxVoters: number;
  fault?: Fault;
  /** Changes the tally (a correction re-upload). */
  revision?: number;
}

/** OCR confusions reported on real C1 forms. */
export const MISREADS: Readonly<Record<string, string>> = { '8': '0', '0': '8', '1': '7', '7': '1', '2': '5', '5': '2' };

function splitLP(rng: Rng, j: number): [number, number] {
  const l = Math.round(j * (0.46 + rng() * 0.08));
  return [l, j - l];
}

export function generateForm(o: FormOptions): C1Form {
  const rng = rngFor(o.seed, `c1/${o.tpsCode}/${o.contest}/${o.revision ?? 0}`);
  // Registered voters: shared by all contests of a TPS, so seeded by the TPS alone.
  const tpsRng = rngFor(o.seed, `dpt/${o.tpsCode}`);
  const spread = Math.max(10, Math.round(o.meanDpt * 0.25));
  const dptJ = Math.max(20, Math.min(o.maxVoters, o.meanDpt + intBetween(tpsRng, -spread, spread)));
  const [dptL, dptP] = splitLP(tpsRng, dptJ);
  const turnout = 0.6 + tpsRng() * 0.3;
  // Users split like the registered voters, so neither sex exceeds its register.
  const useDptL = Math.round(dptL * turnout);
  const useDptP = Math.round(dptP * turnout);
  const useDptJ = useDptL + useDptP;
  const headroom = o.maxVoters - useDptJ;
  const dptbJ = Math.min(headroom, intBetween(tpsRng, 0, 6));
  const [dptbL, dptbP] = splitLP(tpsRng, dptbJ);
  const nonJ = Math.min(headroom - dptbJ, intBetween(tpsRng, 0, 4));
  const [nonL, nonP] = splitLP(tpsRng, nonJ);
  const total = useDptJ + dptbJ + nonJ;
  const invalid = Math.round(total * (0.01 + rng() * 0.03));
  const valid = total - invalid;
  const ids = candidatesFor(o.contest, o.tpsCode);
  const weights = ids.map(() => rng() ** 2 + 0.05);
  const wsum = weights.reduce((a, b) => a + b, 0);
  const chart: Record<string, number> = {};
  let left = valid;
  ids.forEach((id, i) => {
    const v = i === ids.length - 1 ? left : Math.min(left, Math.round((valid * weights[i]) / wsum));
    chart[id] = v;
    left -= v;
  });
  const form: C1Form = {
    administrasi: {
      pemilih_dpt_j: dptJ, pemilih_dpt_l: dptL, pemilih_dpt_p: dptP,
      pengguna_dpt_j: useDptJ, pengguna_dpt_l: useDptL, pengguna_dpt_p: useDptP,
      pengguna_dptb_j: dptbJ, pengguna_dptb_l: dptbL, pengguna_dptb_p: dptbP,
      pengguna_non_dpt_j: nonJ, pengguna_non_dpt_l: nonL, pengguna_non_dpt_p: nonP,
      pengguna_total_j: total, pengguna_total_l: useDptL + dptbL + nonL, pengguna_total_p: useDptP + dptbP + nonP,
      suara_sah: valid, suara_tidak_sah: invalid, suara_total: total,
    },
    chart,
  };
  if (o.fault === 'misread') applyMisread(form, rng);
  else if (o.fault === 'arithmetic') form.administrasi.suara_total += intBetween(rng, 1, 9);
  return form;
}

/**
 * Swaps one digit for its OCR twin in a candidate's votes (as "41 read as 91"). When no vote
 * count has a confusable digit, misreads suara_sah instead, so the form always ends up flagged.
 */
export function applyMisread(form: C1Form, rng: Rng): void {
  const ids = Object.keys(form.chart);
  const start = Math.floor(rng() * ids.length);
  for (let k = 0; k < ids.length; k++) {
    const id = ids[(start + k) % ids.length];
    const changed = misreadNumber(form.chart[id]);
    if (changed !== null) {
      form.chart[id] = changed;
      return;
    }
  }
  form.administrasi.suara_sah = misreadNumber(form.administrasi.suara_sah) ?? form.administrasi.suara_sah + 10;
}

/** The number with its first confusable digit swapped, or null if it has none. */
export function misreadNumber(n: number): number | null {
  const s = String(n);
  for (let i = 0; i < s.length; i++) {
    const twin = MISREADS[s[i]];
    if (twin !== undefined) {
      const out = Number(s.slice(0, i) + twin + s.slice(i + 1));
      if (out !== n) return out;
    }
  }
  return null;
}
