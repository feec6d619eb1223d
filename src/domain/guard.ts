/**
 * The arithmetic guard: the consistency rules of a C1 tally. They flag, they never reject:
 * real Sirekap data breaks them (FACTS.md). A broken vote rule sets status_suara false, a broken
 * administration rule status_adm false; each broken rule is named in `flags`.
 */
import { ADMIN_GROUPS, type Administrasi, type C1Form } from './c1form.js';

type AdminField = keyof Administrasi;

export const FLAGS = {
  /** Sum of chart != suara_sah. */
  CHART_SUM: 'CHART_SUM_NE_SUARA_SAH',
  /** suara_sah + suara_tidak_sah != suara_total. */
  VOTE_TOTAL: 'SAH_PLUS_TIDAK_SAH_NE_TOTAL',
  /** suara_total != pengguna_total_j (ballots used). */
  BALLOTS_USED: 'SUARA_TOTAL_NE_PENGGUNA_TOTAL',
  /** Some X_j != X_l + X_p. */
  GENDER_SPLIT: 'J_NE_L_PLUS_P',
  /** pengguna_total != pengguna_dpt + pengguna_dptb + pengguna_non_dpt (for j, l or p). */
  USERS_SUM: 'PENGGUNA_TOTAL_NE_SUM',
  /** pengguna_dpt > pemilih_dpt (users beyond the registered). */
  USERS_EXCEED: 'PENGGUNA_DPT_GT_PEMILIH_DPT',
} as const;

export type Flag = (typeof FLAGS)[keyof typeof FLAGS];

export interface GuardResult {
  status_suara: boolean;
  status_adm: boolean;
  flags: Flag[];
}

// The field names each rule reads, built once: building `${g}_j` on every call made the guard
// cost 4.5 µs a form instead of 1 (each lookup hashed a freshly built string).
const GENDER_SPLITS = ADMIN_GROUPS.map((g) => [`${g}_j`, `${g}_l`, `${g}_p`] as const satisfies readonly AdminField[]);
const SIDES = (['j', 'l', 'p'] as const).map((s) => ({
  total: `pengguna_total_${s}`, dpt: `pengguna_dpt_${s}`, dptb: `pengguna_dptb_${s}`,
  nonDpt: `pengguna_non_dpt_${s}`, registered: `pemilih_dpt_${s}`,
} as const satisfies Record<string, AdminField>));

export function checkArithmetic(form: C1Form): GuardResult {
  const a = form.administrasi;
  const flags: Flag[] = [];
  let chartSum = 0;
  for (const id in form.chart) chartSum += form.chart[id];
  if (chartSum !== a.suara_sah) flags.push(FLAGS.CHART_SUM);
  if (a.suara_sah + a.suara_tidak_sah !== a.suara_total) flags.push(FLAGS.VOTE_TOTAL);
  if (a.suara_total !== a.pengguna_total_j) flags.push(FLAGS.BALLOTS_USED);
  const suaraFlags = flags.length;
  if (GENDER_SPLITS.some(([j, l, p]) => a[j] !== a[l] + a[p])) flags.push(FLAGS.GENDER_SPLIT);
  if (SIDES.some((s) => a[s.total] !== a[s.dpt] + a[s.dptb] + a[s.nonDpt])) flags.push(FLAGS.USERS_SUM);
  if (SIDES.some((s) => a[s.dpt] > a[s.registered])) flags.push(FLAGS.USERS_EXCEED);
  return { status_suara: suaraFlags === 0, status_adm: flags.length === suaraFlags, flags };
}
