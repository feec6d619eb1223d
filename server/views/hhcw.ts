/**
 * Sirekap-shaped result JSON ("hhcw", hitung hasil C wilayah). At a TPS: the current form
 * (chart, administrasi, images, psu, ts, status_suara, status_adm; Pilkada nests chart and
 * administrasi under `tungsura`), all null before the first upload. Above: vote sums with the
 * progress percentage (`chart.persen`), one `table` row per child, and `progres`; their `ts`
 * is when the region's data last changed (the newest upload counted in it), as Sirekap's is.
 */
import { candidatesFor, type ContestId, type Election, type Hierarchy } from '../../src/domain/index.js';
import type { RegionCounterStore, RegionCounters } from '../store/counters.js';
import type { Queries, StoredForm } from '../store/queries.js';
import { percent, contestTotal } from './progress.js';
import { sirekapTs } from './public-paths.js';

/** Photo names as Sirekap shows them: {tps}-{YYYYMMDD}-{HHMMSS}--{uuid}.jpg (uuid from the sha256). */
function imageName(f: StoredForm, sha256: string): string {
  const t = sirekapTs(f.ts).replace(/[-:]/g, '');
  const u = `${sha256.slice(0, 8)}-${sha256.slice(8, 12)}-${sha256.slice(12, 16)}-${sha256.slice(16, 20)}-${sha256.slice(20, 32)}`;
  return `${f.tps}-${t.slice(0, 8)}-${t.slice(9)}--${u}.jpg`;
}

export function tpsView(election: Election, form: StoredForm | null): Record<string, unknown> {
  const chart = form ? form.chart : null;
  const administrasi = form ? form.administrasi : null;
  const common = {
    images: form ? form.photos.map((p) => imageName(form, p.sha256)) : [],
    psu: election.publicName === 'pilkada' ? (form ? 'Reguler' : null) : null,
    ts: form ? sirekapTs(form.ts) : null,
    status_suara: form ? form.status_suara : null,
    status_adm: form ? form.status_adm : null,
  };
  return election.publicName === 'pilkada'
    ? { tungsura: { chart, administrasi }, ...common }
    : { chart, administrasi, ...common };
}

/** The ballot ids when the region lies inside one electoral area, else null. */
function ballotOf(contest: ContestId, code: string): readonly string[] | null {
  const need = contest === 'ppwp' || contest === 'pdpr' ? 0 : contest === 'pkwkk' || contest === 'pdprdk' ? 4 : 2;
  return code.length >= need ? candidatesFor(contest, code.padEnd(13, '0')) : null;
}

function votes(contest: ContestId, code: string, counters: RegionCounters | undefined): Record<string, number> {
  const c = counters?.get(contest);
  const out: Record<string, number> = {};
  for (const id of ballotOf(contest, code) ?? []) out[id] = 0;
  if (c) for (const [k, n] of c) if (!k.startsWith('#')) out[k] = n;
  return out;
}

export function aggregateView(h: Hierarchy, q: Queries, c: RegionCounterStore, contest: ContestId, code: string): Record<string, unknown> {
  const self = code === '' ? 'national' : h.region(code)!;
  const counters = c.region(code);
  const total = contestTotal(h, self, contest);
  const uploaded = counters.get(contest)?.get('#tps') ?? 0;
  const persen = percent(uploaded, total);
  const kids = h.children(code) ?? [];
  const table: Record<string, unknown> = {};
  if (kids.length > 0 && kids[0].level === 5) {
    const forms = q.formsUnder(code, contest);
    for (const k of kids) {
      const f = forms.get(k.code);
      table[k.code] = { ...(f ? f.chart : {}), psu: null, persen: f ? 100 : 0, status_progress: Boolean(f) };
    }
  } else if (kids.length > 0) {
    for (const k of kids) {
      const t = contestTotal(h, k, contest);
      if (t === 0) continue;
      const kc = c.region(k.code);
      const up = kc?.get(contest)?.get('#tps') ?? 0;
      table[k.code] = { ...votes(contest, k.code, kc), psu: null, persen: percent(up, t), status_progress: up > 0 };
    }
  }
  return {
    chart: { ...votes(contest, code, counters), persen },
    table,
    progres: { total, progres: uploaded, persen },
    ts: sirekapTs(c.updatedAt(code)),
    mode: 'hhcw',
  };
}
