/**
 * The arithmetic guard: the consistency rules of a C1 tally. They flag, they never reject:
 * real Sirekap data breaks them (FACTS.md). A broken vote rule sets status_suara false, a broken
 * administration rule status_adm false; each broken rule is named in `flags`.
 */
import { ADMIN_GROUPS, type C1Form } from './c1form.js';

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

export function checkArithmetic(form: C1Form): GuardResult {
  const a = form.administrasi;
  const suara: Flag[] = [];
  const adm: Flag[] = [];
  const chartSum = Object.values(form.chart).reduce((s, v) => s + v, 0);
  if (chartSum !== a.suara_sah) suara.push(FLAGS.CHART_SUM);
  if (a.suara_sah + a.suara_tidak_sah !== a.suara_total) suara.push(FLAGS.VOTE_TOTAL);
  if (a.suara_total !== a.pengguna_total_j) suara.push(FLAGS.BALLOTS_USED);
  if (ADMIN_GROUPS.some((g) => a[`${g}_j`] !== a[`${g}_l`] + a[`${g}_p`])) adm.push(FLAGS.GENDER_SPLIT);
  const sums = (['j', 'l', 'p'] as const).some(
    (s) => a[`pengguna_total_${s}`] !== a[`pengguna_dpt_${s}`] + a[`pengguna_dptb_${s}`] + a[`pengguna_non_dpt_${s}`],
  );
  if (sums) adm.push(FLAGS.USERS_SUM);
  if ((['j', 'l', 'p'] as const).some((s) => a[`pengguna_dpt_${s}`] > a[`pemilih_dpt_${s}`])) adm.push(FLAGS.USERS_EXCEED);
  return { status_suara: suara.length === 0, status_adm: adm.length === 0, flags: [...suara, ...adm] };
}
