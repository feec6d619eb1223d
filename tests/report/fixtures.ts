/**
 * Synthetic but realistic results for report tests: an election day simulated request by
 * request (officer sessions: login, one upload per contest, retries on 503; viewer reads),
 * recorded into real HDR histograms per interval exactly as the engine would.
 *
 * `syntheticRun` returns the single-run result and N segment results built from the very same
 * samples split by TPS index modulo N (reads by read index modulo N), so merge tests can demand
 * exact equality.
 */
import { encodeHistogram, newHistogram, percentilesMs } from '../../src/result/hdr.js';
import type { Histogram } from '../../src/result/hdr.js';
import { RESULT_SCHEMA, ZONES } from '../../src/result/types.js';
import type {
  CheckpointResult, HistogramSet, ProvinceResult, RequestCounts, ResultV1, SeriesName, SeriesSummary,
  TimelineInterval, ZoneName,
} from '../../src/result/types.js';
import { evaluateThresholds } from '../../src/report/thresholds.js';
import { intervalPercentilesMs, percentileSource } from '../../src/report/histograms.js';
import { computeVerdict, judgeCheckpoint } from '../../src/report/verdict.js';
import { mulberry32, ZONE_OFFSET_H } from '../../src/domain/index.js';

export interface ProvinceSpec { code: string; name: string; zone: ZoneName; tps: number }

export interface SyntheticOptions {
  name?: string;
  provinces?: ProvinceSpec[];
  regions?: 'all' | string[];
  seed?: number;
  /** Simulated seconds per real second. */
  timeScale?: number;
  intervalS?: number;
  segments?: number;
  /** Per-segment shift of the plan origin (ms): the segment's t_s is counted from its own start. */
  segmentOffsetsMs?: number[];
  /** Multiplies every latency (a regressed server). */
  latencyFactor?: number;
  /** Share of upload attempts answered 503 OVERLOADED (retried). */
  uploadErrorRate?: number;
  /** Share of officer sessions dropped at arrival (in-flight cap). */
  dropShare?: number;
  /** Completion curve, local minutes -> share, piecewise linear. */
  curve?: Array<[number, number]>;
  checkpoints?: Array<{ at: string; target: number }>;
  thresholds?: Array<{ metric: string; expr: string }>;
  /** Viewer reads per real second. */
  readRate?: number;
  startedAt?: string;
}

export const BARITO_UTARA: ProvinceSpec[] = [{ code: '62', name: 'Kalimantan Tengah', zone: 'WIB', tps: 270 }];

const CONTESTS = 2; // pilkada: pkwkp + pkwkk

/** Deterministic PRNG: same seed, same run. */
const rng = mulberry32;

function lognormal(rand: () => number, median: number, sigma: number): number {
  const u = Math.max(rand(), 1e-12);
  const v = rand();
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return median * Math.exp(sigma * z);
}

function inverseCurve(curve: Array<[number, number]>, share: number): number {
  for (let i = 1; i < curve.length; i++) {
    const [m0, f0] = curve[i - 1];
    const [m1, f1] = curve[i];
    if (share <= f1) return f1 === f0 ? m0 : m0 + ((share - f0) / (f1 - f0)) * (m1 - m0);
  }
  return curve[curve.length - 1][0];
}

const toMin = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
};

interface Sample {
  series: SeriesName;
  /** Owner index for the segment split: TPS index for officers, read index for viewers. */
  owner: number;
  intendedS: number;
  endS: number;
  latencyUs: number;
  serviceUs: number;
  lagUs: number;
  status: string;
  code: string | null;
}

interface Arrival { owner: number; atS: number; dropped: boolean }

interface Tps { index: number; zone: ZoneName; province: string; completedS: number | null; completedLocalMin: number | null }

interface World {
  samples: Sample[];
  arrivals: Arrival[];
  tps: Tps[];
  endS: number;
  simOriginS: number;
}

function simulate(o: Required<Omit<SyntheticOptions, 'startedAt' | 'segmentOffsetsMs' | 'regions' | 'name'>>): World {
  const rand = rng(o.seed);
  const zonesPresent = ZONES.filter((z) => o.provinces.some((p) => p.zone === z && p.tps > 0));
  const maxOffset = Math.max(...zonesPresent.map((z) => ZONE_OFFSET_H[z]));
  const simOriginS = 13 * 3600 - maxOffset * 3600; // 13:00 local in the easternmost zone, in WIB
  const toReal = (simS: number): number => (simS - simOriginS) / o.timeScale;
  const tps: Tps[] = [];
  for (const p of o.provinces) {
    for (let i = 0; i < p.tps; i++) tps.push({ index: tps.length, zone: p.zone, province: p.code, completedS: null, completedLocalMin: null });
  }
  const samples: Sample[] = [];
  const arrivals: Arrival[] = [];
  const f = o.latencyFactor;
  for (const zone of zonesPresent) {
    const inZone = tps.filter((t) => t.zone === zone);
    // A seeded permutation decides who uploads early, as the plan does.
    const order = inZone.map((t) => ({ t, key: rand() })).sort((a, b) => a.key - b.key).map((x) => x.t);
    order.forEach((t, rank) => {
      const localMin = inverseCurve(o.curve, (rank + 0.5) / order.length);
      const startS = toReal((localMin - ZONE_OFFSET_H[zone] * 60) * 60);
      const dropped = rand() < o.dropShare;
      arrivals.push({ owner: t.index, atS: startS, dropped });
      if (dropped) return;
      let at = startS;
      const send = (series: SeriesName, medianMs: number, errorRate: number): boolean => {
        for (let attempt = 0; attempt < 4; attempt++) {
          const lagUs = Math.round(lognormal(rand, 300, 0.8) * (rand() < 0.01 ? 40 : 1));
          const serviceUs = Math.round(lognormal(rand, medianMs * 1000 * f, 0.45));
          const fail = rand() < errorRate;
          const timeout = fail && rand() < 0.1;
          const latencyUs = lagUs + serviceUs;
          samples.push({
            series, owner: t.index, intendedS: at, endS: at + latencyUs / 1e6, latencyUs, serviceUs, lagUs,
            status: timeout ? 'error' : fail ? '503' : series === 'upload' ? '201' : '200',
            code: timeout ? 'ETIMEDOUT' : fail ? 'OVERLOADED' : null,
          });
          at += latencyUs / 1e6;
          if (!fail) return true;
          at += 2 * 2 ** attempt * (0.5 + rand() / 2); // backoff with jitter, real seconds
        }
        return false;
      };
      if (!send('login', 80, o.uploadErrorRate / 4)) return;
      let ok = true;
      for (let c = 0; c < CONTESTS && ok; c++) {
        at += 60 / o.timeScale; // one simulated minute of thinking per form
        ok = send('upload', 420, o.uploadErrorRate);
      }
      if (ok) {
        t.completedS = at;
        t.completedLocalMin = ((at * o.timeScale + simOriginS) / 60) + ZONE_OFFSET_H[zone] * 60;
      }
    });
  }
  const lastOfficer = Math.max(...samples.map((s) => s.endS), 0);
  // Viewers: a steady read rate from a few seconds in until the officers are done.
  let readIndex = 0;
  for (let at = 5; at < lastOfficer; at += 1 / o.readRate) {
    arrivals.push({ owner: readIndex, atS: at, dropped: false });
    const lagUs = Math.round(lognormal(rand, 250, 0.7));
    const serviceUs = Math.round(lognormal(rand, 25_000 * f, 0.6));
    samples.push({
      series: 'read', owner: readIndex, intendedS: at, endS: at + (lagUs + serviceUs) / 1e6,
      latencyUs: lagUs + serviceUs, serviceUs, lagUs, status: '200', code: null,
    });
    readIndex++;
  }
  const endS = Math.ceil(Math.max(...samples.map((s) => s.endS), lastOfficer) + 5);
  return { samples, arrivals, tps, endS, simOriginS };
}

const emptyCounts = (): RequestCounts => ({ total: 0, ok: 0, failed: 0, dropped: 0, by_status: {}, by_code: {} });

function countInto(c: RequestCounts, s: Sample): void {
  c.total++;
  if (s.status.startsWith('2')) c.ok++; else c.failed++;
  c.by_status[s.status] = (c.by_status[s.status] ?? 0) + 1;
  if (s.code) c.by_code[s.code] = (c.by_code[s.code] ?? 0) + 1;
}

/** Reusable per-key histograms: creating an HDR histogram costs far more than resetting one. */
class HistogramPool {
  readonly used = new Map<string, Histogram>();
  private readonly all = new Map<string, Histogram>();
  get(key: string): Histogram {
    let h = this.used.get(key);
    if (h) return h;
    h = this.all.get(key);
    if (!h) { h = newHistogram(); this.all.set(key, h); }
    h.reset();
    this.used.set(key, h);
    return h;
  }
  clear(): void { this.used.clear(); }
}

function histogramsOf(list: Sample[], when: 'end' | 'intended', pool: HistogramPool): void {
  for (const s of list) {
    if (when === 'end') {
      pool.get(`${s.series}.latency`).recordValue(s.latencyUs);
      pool.get(`${s.series}.service`).recordValue(s.serviceUs);
    } else {
      pool.get('lag').recordValue(s.lagUs);
    }
  }
}

function encodeMap(map: Map<string, Histogram>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of [...map.keys()].sort()) out[key] = encodeHistogram(map.get(key)!);
  return out;
}

function sumHist(map: Map<string, Histogram>, suffix: string): Histogram {
  const h = newHistogram();
  for (const [key, v] of map) if (key.endsWith(suffix)) h.add(v);
  return h;
}

interface Part {
  samples: Sample[];
  arrivals: Arrival[];
  tps: Tps[];
  offsetS: number;
  segment: { index: number; count: number } | null;
}

function buildResult(o: Required<Omit<SyntheticOptions, 'segmentOffsetsMs'>>, world: World, part: Part): ResultV1 {
  const { intervalS } = o;
  const own = (t: number): number => t - part.offsetS;
  const durationS = world.endS - part.offsetS;
  const n = Math.ceil(durationS / intervalS);
  const bucket = (t: number): number => Math.min(n - 1, Math.max(0, Math.floor(own(t) / intervalS)));
  const zonesTotal = Object.fromEntries(ZONES.map((z) => [z, 0])) as Record<ZoneName, number>;
  for (const t of part.tps) zonesTotal[t.zone]++;

  const timeline: TimelineInterval[] = [];
  const intervalEncoded: Array<Record<string, string>> = [];
  const totals = new Map<string, Histogram>();
  const pool = new HistogramPool();
  const byEnd: Sample[][] = Array.from({ length: n }, () => []);
  const byIntended: Sample[][] = Array.from({ length: n }, () => []);
  const record = (key: string, us: number): void => {
    if (!totals.has(key)) totals.set(key, newHistogram());
    totals.get(key)!.recordValue(us);
  };
  for (const s of part.samples) {
    record(`${s.series}.latency`, s.latencyUs);
    record(`${s.series}.service`, s.serviceUs);
    record('lag', s.lagUs);
    byEnd[bucket(s.endS)].push(s);
    byIntended[bucket(s.intendedS)].push(s);
  }
  const offered = new Array<number>(n).fill(0);
  const dropped = new Array<number>(n).fill(0);
  for (const a of part.arrivals) {
    offered[bucket(a.atS)]++;
    if (a.dropped) dropped[bucket(a.atS)]++;
  }
  const completions = part.tps.filter((t) => t.completedS !== null).sort((a, b) => a.completedS! - b.completedS!);
  let ci = 0;
  const cum = Object.fromEntries(ZONES.map((z) => [z, 0])) as Record<ZoneName, number>;
  for (let k = 0; k < n; k++) {
    pool.clear();
    histogramsOf(byEnd[k], 'end', pool);
    histogramsOf(byIntended[k], 'intended', pool);
    const hists = pool.used;
    intervalEncoded.push(encodeMap(hists));

    const series: TimelineInterval['series'] = {};
    for (const name of ['login', 'upload', 'read'] as SeriesName[]) {
      const list = byEnd[k].filter((s) => s.series === name);
      if (list.length === 0) continue;
      const c = emptyCounts();
      for (const s of list) countInto(c, s);
      const p = intervalPercentilesMs(hists.get(`${name}.latency`)!);
      series[name] = { requests: c.total, ok: c.ok, failed: c.failed, by_status: c.by_status, by_code: c.by_code, p50: p.p50, p90: p.p90, p99: p.p99, max: p.max };
    }
    const endOfInterval = part.offsetS + (k + 1) * intervalS;
    while (ci < completions.length && completions[ci].completedS! < endOfInterval) cum[completions[ci++].zone]++;
    timeline.push({
      t_s: k * intervalS,
      sim_s: world.simOriginS + (part.offsetS + k * intervalS) * o.timeScale,
      offered: offered[k], dropped: dropped[k], series,
      lag_p99_ms: hists.has('lag') ? intervalPercentilesMs(hists.get('lag')!).p99 : 0,
      completed_cum: { ...cum },
    });
  }

  const requests = emptyCounts();
  const seriesSummary: Partial<Record<SeriesName, SeriesSummary>> = {};
  for (const s of part.samples) {
    countInto(requests, s);
    const ss = (seriesSummary[s.series] ??= { requests: emptyCounts(), latency_ms: percentilesMs(newHistogram()), service_time_ms: percentilesMs(newHistogram()) });
    countInto(ss.requests, s);
  }
  const droppedTotal = part.arrivals.filter((a) => a.dropped).length;
  requests.dropped = droppedTotal;
  if (seriesSummary.login) seriesSummary.login.requests.dropped = droppedTotal;
  for (const name of Object.keys(seriesSummary) as SeriesName[]) {
    seriesSummary[name]!.latency_ms = percentilesMs(totals.get(`${name}.latency`)!);
    seriesSummary[name]!.service_time_ms = percentilesMs(totals.get(`${name}.service`)!);
  }

  const checkpoints: CheckpointResult[] = o.checkpoints.map(({ at, target }) => {
    const atMin = toMin(at);
    const byZone = Object.fromEntries(ZONES.map((z) => [z, { completed: 0, total: zonesTotal[z] }])) as CheckpointResult['by_zone'];
    for (const t of part.tps) if (t.completedLocalMin !== null && t.completedLocalMin <= atMin) byZone[t.zone].completed++;
    const completed = ZONES.reduce((a, z) => a + byZone[z].completed, 0);
    const total = part.tps.length;
    return { at, target, completed, total, by_zone: byZone, ...judgeCheckpoint(completed, total, target) };
  });
  const provinces: ProvinceResult[] = o.provinces.map((p) => {
    const mine = part.tps.filter((t) => t.province === p.code);
    return { code: p.code, name: p.name, zone: p.zone, total: mine.length, completed: mine.filter((t) => t.completedS !== null).length };
  });
  const uploadsOk = part.samples.filter((s) => s.series === 'upload' && s.status === '201').length;
  const offeredTotal = part.arrivals.length;
  const histograms: HistogramSet = { unit: 'us', total: encodeMap(totals), intervals: intervalEncoded };
  const started = new Date(Date.parse(o.startedAt) + part.offsetS * 1000);

  const result: ResultV1 = {
    schema: RESULT_SCHEMA,
    pass: true,
    partial: false,
    failures: [],
    meta: {
      scenario: o.name,
      scenario_file: `scenarios/${o.name}.json`,
      executor: 'election-day',
      election: 'pilkada-2024',
      regions: o.regions,
      scale: 1,
      seed: o.seed,
      time_scale: o.timeScale,
      clock: 'local',
      window: { start: '13:00', end: '24:00' },
      sim_origin_s: world.simOriginS + part.offsetS * o.timeScale,
      target: 'http://127.0.0.1:3000',
      embedded_server: true,
      segment: part.segment,
      started_at: started.toISOString(),
      ended_at: new Date(started.getTime() + durationS * 1000).toISOString(),
      clock_offset_ms: 0,
      interval_s: intervalS,
      versions: { ujibeban: '0.1.0', node: 'v20.20.2' },
      machine: { hostname: `runner-${part.segment?.index ?? 1}`, platform: 'linux', cpus: 2, cpu_model: 'Synthetic CPU', memory_bytes: 8 * 2 ** 30 },
    },
    summary: {
      duration_s: durationS,
      requests,
      latency_ms: percentilesMs(sumHist(totals, '.latency')),
      service_time_ms: percentilesMs(sumHist(totals, '.service')),
      schedule_lag_ms: percentilesMs(totals.get('lag') ?? newHistogram()),
      tps: {
        total: part.tps.length,
        completed: completions.length,
        by_zone: Object.fromEntries(ZONES.map((z) => [z, { total: zonesTotal[z], completed: cum[z] }])) as ResultV1['summary']['tps']['by_zone'],
      },
      uploads: { accepted: uploadsOk, corrections: 0, duplicates: 0, flagged: part.samples.filter((s) => s.series === 'upload' && s.status === '201' && s.owner % 53 === 0).length },
      rate: { offered_per_s: offeredTotal / durationS, achieved_per_s: requests.total / durationS },
    },
    series: seriesSummary,
    checkpoints,
    thresholds: [],
    timeline,
    provinces,
    histograms,
  };
  result.thresholds = evaluateThresholds({ ...result, percentileMs: percentileSource(histograms.total) }, o.thresholds);
  return computeVerdict(result);
}

export interface SyntheticRun { single: ResultV1; segments: ResultV1[] }

export function syntheticRun(options: SyntheticOptions = {}): SyntheticRun {
  const o = {
    name: 'barito-utara-pilkada-2024',
    provinces: BARITO_UTARA,
    regions: ['6205'] as 'all' | string[],
    seed: 1,
    timeScale: 60,
    intervalS: 2,
    segments: 1,
    latencyFactor: 1,
    uploadErrorRate: 0.02,
    dropShare: 0,
    curve: [[13 * 60, 0], [14 * 60, 0.05], [15 * 60, 0.35], [16 * 60, 0.65], [17 * 60, 0.86], [19 * 60, 0.95], [23 * 60, 1]] as Array<[number, number]>,
    checkpoints: [{ at: '17:00', target: 0.8 }, { at: '24:00', target: 1 }],
    thresholds: [
      { metric: 'upload', expr: 'p(99)<5000' },
      { metric: 'upload', expr: 'rate(errors)<0.05' },
      { metric: 'login', expr: 'p(95)<1000' },
    ],
    readRate: 2,
    startedAt: '2024-11-27T06:00:00.000Z',
    ...options,
  };
  const world = simulate(o);
  const single = buildResult(o, world, { samples: world.samples, arrivals: world.arrivals, tps: world.tps, offsetS: 0, segment: null });
  const segments: ResultV1[] = [];
  if (o.segments > 1) {
    for (let k = 0; k < o.segments; k++) {
      const mine = (owner: number): boolean => owner % o.segments === k;
      segments.push(buildResult(o, world, {
        samples: world.samples.filter((s) => mine(s.owner)),
        arrivals: world.arrivals.filter((a) => mine(a.owner)),
        tps: world.tps.filter((t) => mine(t.index)),
        offsetS: (options.segmentOffsetsMs?.[k] ?? 0) / 1000,
        segment: { index: k + 1, count: o.segments }, // 1-based, as `--segment K/N` writes it
      }));
    }
  }
  return { single, segments };
}

/** Barito Utara (6205, Kalimantan Tengah, WIB): 270 TPS on Pilkada day, 60x time compression. */
export function baritoUtaraRun(options: SyntheticOptions = {}): ResultV1 {
  return syntheticRun(options).single;
}

/** All 38 provinces with their Pilkada 2024 TPS counts (domain/provinces.csv). */
export const PROVINCES_2024: ProvinceSpec[] = [
  ['11', 'Aceh', 'WIB', 9755], ['12', 'Sumatera Utara', 'WIB', 25223], ['13', 'Sumatera Barat', 'WIB', 10846],
  ['14', 'Riau', 'WIB', 11773], ['15', 'Jambi', 'WIB', 6784], ['16', 'Sumatera Selatan', 'WIB', 13206],
  ['17', 'Bengkulu', 'WIB', 3452], ['18', 'Lampung', 'WIB', 13282], ['19', 'Kepulauan Bangka Belitung', 'WIB', 2197],
  ['21', 'Kepulauan Riau', 'WIB', 3327], ['31', 'DKI Jakarta', 'WIB', 14835], ['32', 'Jawa Barat', 'WIB', 73862],
  ['33', 'Jawa Tengah', 'WIB', 56812], ['34', 'DI Yogyakarta', 'WIB', 5978], ['35', 'Jawa Timur', 'WIB', 60751],
  ['36', 'Banten', 'WIB', 16231], ['51', 'Bali', 'WITA', 6795], ['52', 'Nusa Tenggara Barat', 'WITA', 8405],
  ['53', 'Nusa Tenggara Timur', 'WITA', 9877], ['61', 'Kalimantan Barat', 'WIB', 10451], ['62', 'Kalimantan Tengah', 'WIB', 4446],
  ['63', 'Kalimantan Selatan', 'WITA', 8258], ['64', 'Kalimantan Timur', 'WITA', 6274], ['65', 'Kalimantan Utara', 'WITA', 1395],
  ['71', 'Sulawesi Utara', 'WITA', 4401], ['72', 'Sulawesi Tengah', 'WITA', 5496], ['73', 'Sulawesi Selatan', 'WITA', 14548],
  ['74', 'Sulawesi Tenggara', 'WITA', 4611], ['75', 'Gorontalo', 'WITA', 2016], ['76', 'Sulawesi Barat', 'WITA', 2565],
  ['81', 'Maluku', 'WIT', 3301], ['82', 'Maluku Utara', 'WIT', 2378], ['91', 'Papua', 'WIT', 2023],
  ['92', 'Papua Barat', 'WIT', 1169], ['93', 'Papua Selatan', 'WIT', 1089], ['94', 'Papua Tengah', 'WIT', 2617],
  ['95', 'Papua Pegunungan', 'WIT', 3556], ['96', 'Papua Barat Daya', 'WIT', 1311],
].map(([code, name, zone, tps]) => ({ code: code as string, name: name as string, zone: zone as ZoneName, tps: tps as number }));

/**
 * A national, real-time (time scale 1) result with `intervals` timeline entries: the timeline is
 * synthesized directly (no per-interval histograms) so that size tests stay fast. Totals come
 * from a small simulated run so the histograms are real.
 */
export function nationalResult(intervals = 40_000): ResultV1 {
  const base = syntheticRun({
    name: 'pilkada-2024-nasional', regions: 'all', timeScale: 60, intervalS: 10, readRate: 1,
    provinces: PROVINCES_2024.map((p) => ({ ...p, tps: Math.max(1, Math.round(p.tps / 500)) })),
  }).single;
  const totalTps = PROVINCES_2024.reduce((a, p) => a + p.tps, 0);
  const byZone = Object.fromEntries(ZONES.map((z) => [z, PROVINCES_2024.filter((p) => p.zone === z).reduce((a, p) => a + p.tps, 0)])) as Record<ZoneName, number>;
  const rand = rng(7);
  const simOrigin = 11 * 3600;
  const timeline: TimelineInterval[] = [];
  for (let k = 0; k < intervals; k++) {
    const share = Math.min(1, Math.max(0, (k / intervals) * 1.15 - 0.05));
    const wave = 1 + 0.5 * Math.sin(k / 500);
    const upload = Math.round(20 * wave + rand() * 5);
    timeline.push({
      t_s: k, sim_s: simOrigin + k, offered: Math.round(40 * wave), dropped: rand() < 0.02 ? Math.round(rand() * 10) : 0,
      series: {
        login: { requests: 10, ok: 10, failed: 0, by_status: { '200': 10 }, by_code: {}, p50: 70 + rand() * 10, p90: 120, p99: 200 + rand() * 50, max: 400 },
        upload: { requests: upload, ok: upload - 1, failed: 1, by_status: { '201': upload - 1, '503': 1 }, by_code: { OVERLOADED: 1 }, p50: 400 * wave, p90: 700 * wave, p99: 1500 * wave + rand() * 300, max: 3000 * wave },
        read: { requests: 30, ok: 30, failed: 0, by_status: { '200': 30 }, by_code: {}, p50: 20, p90: 40, p99: 90 + rand() * 20, max: 150 },
      },
      lag_p99_ms: 1 + rand() * 3,
      completed_cum: { WIB: Math.round(byZone.WIB * share), WITA: Math.round(byZone.WITA * Math.min(1, share * 1.05)), WIT: Math.round(byZone.WIT * Math.min(1, share * 1.1)) },
    });
  }
  return {
    ...base,
    meta: { ...base.meta, time_scale: 1, interval_s: 1, sim_origin_s: simOrigin },
    summary: {
      ...base.summary,
      duration_s: intervals,
      tps: { total: totalTps, completed: totalTps, by_zone: Object.fromEntries(ZONES.map((z) => [z, { total: byZone[z], completed: byZone[z] }])) as ResultV1['summary']['tps']['by_zone'] },
    },
    timeline,
    provinces: PROVINCES_2024.map((p) => ({ code: p.code, name: p.name, zone: p.zone, total: p.tps, completed: Math.round(p.tps * (0.97 + rand() * 0.03)) })),
    histograms: { ...base.histograms, intervals: [] },
  };
}
