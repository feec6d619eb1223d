/**
 * The region hierarchy (province → kab/kota → kecamatan → desa/kelurahan → TPS) synthesized
 * from the per-province figures, an election, a seed and a scale. Deterministic: the same
 * inputs give the same codes on every machine, so the server and the load generator agree on
 * every TPS code without exchanging a list.
 *
 * Lazy and compact: province totals come straight from the table; a province's tree is built
 * on first use, with desa held in typed arrays. TPS are numbered 0..totalTps-1 in code order
 * (province, kab, kecamatan, desa, TPS number) so that a region is one contiguous index range.
 *
 * Codes: kab = province + 2 digits (01..), kecamatan = kab + 2 digits, desa = kecamatan +
 * 4 digits (2001..), TPS = desa + 3 digits (001..). Barito Utara (6205) keeps its real nine
 * kecamatan codes and names, 103 desa and 270 pilkada TPS (at scale 1).
 */
import { ELECTIONS, contestsIn, type ContestId, type ElectionId } from './elections.js';
import { provinces, type Province } from './provinces.js';
import { rngFor, type Rng } from './rng.js';
import { upperBound } from './search.js';
import type { Zone } from './zones.js';

export interface HierarchyOptions {
  election: ElectionId;
  /** (0, 1]: share of the real TPS count; every province keeps at least one TPS. */
  scale: number;
  seed: number;
  /** "all", or 2-digit province and 4-digit kab/kota codes. */
  regions: 'all' | readonly string[];
}

export type Level = 1 | 2 | 3 | 4 | 5;

export interface Region {
  code: string;
  name: string;
  /** 1 province, 2 kab/kota, 3 kecamatan, 4 desa/kelurahan, 5 TPS (Sirekap's `tingkat`). */
  level: Level;
  /** First TPS index under this region and how many. */
  tpsStart: number;
  tpsCount: number;
}

/** Barito Utara's kecamatan (KPU codes and names) and desa per kecamatan (sums to 103). */
export const BARITO_UTARA = {
  code: '6205',
  name: 'Barito Utara',
  tps: { 'pilkada-2024': 270, 'pemilu-2024': 458 } as Record<ElectionId, number>,
  kecamatan: [
    ['620501', 'Montallat', 16],
    ['620502', 'Gunung Timang', 18],
    ['620503', 'Gunung Purei', 11],
    ['620504', 'Teweh Timur', 11],
    ['620505', 'Teweh Tengah', 17],
    ['620506', 'Lahei', 13],
    ['620507', 'Teweh Baru', 6],
    ['620508', 'Teweh Selatan', 8],
    ['620509', 'Lahei Barat', 3],
  ] as ReadonlyArray<readonly [string, string, number]>,
};

interface KecNode { code: string; name: string; firstDesa: number; desaCount: number; tpsStart: number; tpsCount: number }
interface KabNode { code: string; name: string; firstKec: number; kecCount: number; tpsStart: number; tpsCount: number }

/** One province's tree; TPS indexes in it are local (0-based within the province's share). */
interface ProvinceTree {
  kabs: KabNode[];
  kecs: KecNode[];
  desaCode: string[];
  desaTpsStart: Int32Array;
  desaTpsCount: Int32Array;
  desaByCode: Map<string, number>;
  kabByCode: Map<string, number>;
  kecByCode: Map<string, number>;
  tpsCount: number;
}

interface ProvinceSlot {
  province: Province;
  /** Kab codes kept, or null for the whole province. */
  kabFilter: Set<string> | null;
  tpsStart: number;
  tpsCount: number;
  /** Mean registered voters per TPS, for form generation. */
  dptPerTps: number;
}

/**
 * Splits `total` into `buckets` positive parts in proportion to weights (largest remainder).
 * Requires total >= buckets.
 */
export function allocate(total: number, weights: readonly number[]): Int32Array {
  const n = weights.length;
  const out = new Int32Array(n);
  if (n === 0) return out;
  let rest = total - n; // one each first
  const wsum = weights.reduce((a, b) => a + b, 0);
  const frac: Array<[number, number]> = [];
  let given = 0;
  for (let i = 0; i < n; i++) {
    const exact = (rest * weights[i]) / wsum;
    const whole = Math.floor(exact);
    out[i] = 1 + whole;
    given += whole;
    frac.push([exact - whole, i]);
  }
  rest -= given;
  frac.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; k < rest; k++) out[frac[k % n][1]] += 1;
  return out;
}

const randomWeights = (rng: Rng, n: number): number[] =>
  Array.from({ length: n }, () => 0.5 + rng());

/** Scaled TPS count of a province: at least one TPS wherever the election holds any. */
export function scaledTps(p: Province, election: ElectionId, scale: number): number {
  const real = ELECTIONS[election].tpsOf(p);
  if (real === 0) return 0;
  return Math.max(1, Math.round(real * scale));
}

export class Hierarchy {
  readonly election: ElectionId;
  readonly scale: number;
  readonly seed: number;
  readonly regions: 'all' | readonly string[];
  readonly totalTps: number;
  private readonly slots: ProvinceSlot[];
  private readonly slotStarts: Int32Array;
  private readonly trees = new Map<string, ProvinceTree>();

  constructor(opts: HierarchyOptions) {
    if (!(opts.scale > 0 && opts.scale <= 1)) {
      throw new RangeError(`scale must be in (0, 1], got ${opts.scale}`);
    }
    this.election = opts.election;
    this.scale = opts.scale;
    this.seed = opts.seed;
    this.regions = opts.regions;
    const wanted = opts.regions === 'all' ? null : parseRegionFilter(opts.regions);
    const slots: ProvinceSlot[] = [];
    let start = 0;
    for (const p of provinces()) {
      const provinceTps = scaledTps(p, this.election, this.scale);
      if (provinceTps === 0) continue;
      let kabFilter: Set<string> | null = null;
      if (wanted) {
        const w = wanted.get(p.code);
        if (w === undefined) continue;
        kabFilter = w;
      }
      const slot: ProvinceSlot = {
        province: p, kabFilter, tpsStart: start, tpsCount: provinceTps,
        dptPerTps: meanDptPerTps(p, this.election),
      };
      if (kabFilter) {
        // Kab/kota filters need the tree to know how many TPS the chosen areas hold.
        const tree = this.buildTree(slot);
        const missing = [...kabFilter].filter((k) => !tree.kabByCode.has(k));
        if (missing.length > 0) {
          throw new RangeError(
            `regions: kab/kota ${missing.join(', ')} not found in ${p.code} ${p.name} at scale ${this.scale}` +
            ` (it has ${tree.kabs.map((k) => k.code).join(', ')})`,
          );
        }
        slot.tpsCount = tree.tpsCount;
      }
      slots.push(slot);
      start += slot.tpsCount;
    }
    if (wanted) {
      const known = new Set(slots.map((s) => s.province.code));
      const unknown = [...wanted.keys()].filter((c) => !known.has(c));
      if (unknown.length > 0) {
        throw new RangeError(`regions: province ${unknown.join(', ')} unknown or holds no ${this.election} TPS`);
      }
    }
    this.slots = slots;
    this.slotStarts = Int32Array.from(slots.map((s) => s.tpsStart));
    this.totalTps = start;
  }

  /** Included provinces in code order with their TPS ranges. */
  provinces(): Array<{ province: Province; tpsStart: number; tpsCount: number }> {
    return this.slots.map((s) => ({ province: s.province, tpsStart: s.tpsStart, tpsCount: s.tpsCount }));
  }

  /** TPS totals per zone. */
  zoneTotals(): Record<Zone, number> {
    const t: Record<Zone, number> = { WIB: 0, WITA: 0, WIT: 0 };
    for (const s of this.slots) t[s.province.zone] += s.tpsCount;
    return t;
  }

  /** Global TPS index ranges [start, count] of the provinces in one zone, in index order. */
  zoneRanges(zone: Zone): Array<[number, number]> {
    return this.slots.filter((s) => s.province.zone === zone).map((s) => [s.tpsStart, s.tpsCount]);
  }

  private slotOfIndex(index: number): ProvinceSlot {
    if (!Number.isInteger(index) || index < 0 || index >= this.totalTps) {
      throw new RangeError(`TPS index ${index} out of range 0..${this.totalTps - 1}`);
    }
    let lo = 0;
    let hi = this.slotStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.slotStarts[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    return this.slots[lo];
  }

  /** The 13-digit code of TPS number `index`. */
  tpsCode(index: number): string {
    const slot = this.slotOfIndex(index);
    const tree = this.tree(slot);
    const local = index - slot.tpsStart;
    const d = upperBound(tree.desaTpsStart, local) - 1;
    const n = local - tree.desaTpsStart[d] + 1;
    return tree.desaCode[d] + String(n).padStart(3, '0');
  }

  /** Index of a TPS code, or -1 when this hierarchy holds no such TPS. */
  tpsIndex(code: string): number {
    if (!/^\d{13}$/.test(code)) return -1;
    const slot = this.slots.find((s) => s.province.code === code.slice(0, 2));
    if (!slot) return -1;
    const tree = this.tree(slot);
    const d = tree.desaByCode.get(code.slice(0, 10));
    if (d === undefined) return -1;
    const n = Number(code.slice(10));
    if (n < 1 || n > tree.desaTpsCount[d]) return -1;
    return slot.tpsStart + tree.desaTpsStart[d] + n - 1;
  }

  zoneOf(index: number): Zone {
    return this.slotOfIndex(index).province.zone;
  }

  provinceOf(index: number): Province {
    return this.slotOfIndex(index).province;
  }

  /** Mean registered voters per TPS in the province of this TPS (capped by the election's max). */
  dptPerTps(index: number): number {
    return this.slotOfIndex(index).dptPerTps;
  }

  /** Contests held at a TPS (by code or index). */
  contestsAt(tps: string | number): ContestId[] {
    const code = typeof tps === 'number' ? this.tpsCode(tps) : tps;
    return contestsIn(this.election, code.slice(0, 4));
  }

  /** A region by code (2, 4, 6, 10 or 13 digits), or undefined. */
  region(code: string): Region | undefined {
    const slot = this.slots.find((s) => s.province.code === code.slice(0, 2));
    if (!slot) return undefined;
    const p = slot.province;
    if (code.length === 2) return { code, name: p.name, level: 1, tpsStart: slot.tpsStart, tpsCount: slot.tpsCount };
    const tree = this.tree(slot);
    const base = slot.tpsStart;
    if (code.length === 4) {
      const k = tree.kabByCode.get(code);
      if (k === undefined) return undefined;
      const kab = tree.kabs[k];
      return { code, name: kab.name, level: 2, tpsStart: base + kab.tpsStart, tpsCount: kab.tpsCount };
    }
    if (code.length === 6) {
      const c = tree.kecByCode.get(code);
      if (c === undefined) return undefined;
      const kec = tree.kecs[c];
      return { code, name: kec.name, level: 3, tpsStart: base + kec.tpsStart, tpsCount: kec.tpsCount };
    }
    if (code.length === 10) {
      const d = tree.desaByCode.get(code);
      if (d === undefined) return undefined;
      return { code, name: desaName(code), level: 4, tpsStart: base + tree.desaTpsStart[d], tpsCount: tree.desaTpsCount[d] };
    }
    if (code.length === 13) {
      const i = this.tpsIndex(code);
      if (i < 0) return undefined;
      return { code, name: `TPS ${code.slice(10)}`, level: 5, tpsStart: i, tpsCount: 1 };
    }
    return undefined;
  }

  /** Child regions of a code ('' for the provinces), as Sirekap's /wilayah lists them. */
  children(code: string): Region[] | undefined {
    if (code === '') {
      return this.slots.map((s) => ({
        code: s.province.code, name: s.province.name, level: 1 as Level, tpsStart: s.tpsStart, tpsCount: s.tpsCount,
      }));
    }
    const slot = this.slots.find((s) => s.province.code === code.slice(0, 2));
    if (!slot) return undefined;
    const tree = this.tree(slot);
    const base = slot.tpsStart;
    if (code.length === 2) {
      return tree.kabs.map((k) => ({ code: k.code, name: k.name, level: 2 as Level, tpsStart: base + k.tpsStart, tpsCount: k.tpsCount }));
    }
    if (code.length === 4) {
      const k = tree.kabByCode.get(code);
      if (k === undefined) return undefined;
      const kab = tree.kabs[k];
      return tree.kecs.slice(kab.firstKec, kab.firstKec + kab.kecCount).map((c) => ({
        code: c.code, name: c.name, level: 3 as Level, tpsStart: base + c.tpsStart, tpsCount: c.tpsCount,
      }));
    }
    if (code.length === 6) {
      const c = tree.kecByCode.get(code);
      if (c === undefined) return undefined;
      const kec = tree.kecs[c];
      const out: Region[] = [];
      for (let d = kec.firstDesa; d < kec.firstDesa + kec.desaCount; d++) {
        out.push({ code: tree.desaCode[d], name: desaName(tree.desaCode[d]), level: 4, tpsStart: base + tree.desaTpsStart[d], tpsCount: tree.desaTpsCount[d] });
      }
      return out;
    }
    if (code.length === 10) {
      const d = tree.desaByCode.get(code);
      if (d === undefined) return undefined;
      const out: Region[] = [];
      for (let n = 1; n <= tree.desaTpsCount[d]; n++) {
        const tps = code + String(n).padStart(3, '0');
        out.push({ code: tps, name: `TPS ${tps.slice(10)}`, level: 5, tpsStart: base + tree.desaTpsStart[d] + n - 1, tpsCount: 1 });
      }
      return out;
    }
    return undefined;
  }

  private tree(slot: ProvinceSlot): ProvinceTree {
    return this.trees.get(slot.province.code) ?? this.buildTree(slot);
  }

  private buildTree(slot: ProvinceSlot): ProvinceTree {
    const p = slot.province;
    const total = scaledTps(p, this.election, this.scale);
    const rng = rngFor(this.seed, `hierarchy/${this.election}/${p.code}`);
    const maxKab = Math.min(p.kabkota, 99);
    const specs = kabSpecs(p, total, maxKab, this.election, this.scale, rng);
    const tree = assembleTree(specs, slot.kabFilter, rng);
    this.trees.set(p.code, tree);
    return tree;
  }
}

interface KabSpec {
  code: string;
  name: string;
  tps: number;
  /** Kecamatan: real [code, name, desa weight] or synthetic count. */
  kec: ReadonlyArray<readonly [string, string, number]> | number;
  desa: number;
}

/** Decides each kab/kota's code, name and TPS, kecamatan and desa counts in one province. */
function kabSpecs(p: Province, total: number, maxKab: number, election: ElectionId, scale: number, rng: Rng): KabSpec[] {
  const hasBu = p.code === BARITO_UTARA.code.slice(0, 2);
  const buTps = hasBu ? Math.min(total, Math.max(1, Math.round(BARITO_UTARA.tps[election] * scale))) : 0;
  const otherTps = total - buTps;
  const otherKabCount = Math.min(maxKab - (hasBu ? 1 : 0), otherTps);
  const kabTps = otherKabCount > 0 ? allocate(otherTps, randomWeights(rng, otherKabCount)) : new Int32Array(0);
  const specs: KabSpec[] = [];
  // Kecamatan and desa counts of the other kabs, scaled so that none has more units than TPS.
  const otherKec = hasBu ? p.kecamatan - BARITO_UTARA.kecamatan.length : p.kecamatan;
  const otherDesa = hasBu ? p.desa - 103 : p.desa;
  let n = 0;
  for (let k = 0; k < otherKabCount; k++) {
    n += 1;
    if (hasBu && n === 5) n += 1; // 6205 is Barito Utara's
    const tps = kabTps[k];
    const kec = Math.max(1, Math.min(tps, Math.round(otherKec / otherKabCount), 99));
    const desa = Math.max(kec, Math.min(tps, Math.round(otherDesa / otherKabCount)));
    const code = p.code + String(n).padStart(2, '0');
    specs.push({ code, name: `${p.name} ${String(n).padStart(2, '0')}`, tps, kec, desa });
  }
  if (hasBu) {
    const kec = BARITO_UTARA.kecamatan.slice(0, Math.min(9, buTps));
    const desa = Math.max(kec.length, Math.min(103, buTps));
    const bu: KabSpec = { code: BARITO_UTARA.code, name: BARITO_UTARA.name, tps: buTps, kec, desa };
    specs.push(bu);
    specs.sort((a, b) => a.code.localeCompare(b.code));
  }
  return specs;
}

function assembleTree(specs: KabSpec[], kabFilter: Set<string> | null, rng: Rng): ProvinceTree {
  const tree: ProvinceTree = {
    kabs: [], kecs: [], desaCode: [], desaTpsStart: new Int32Array(0), desaTpsCount: new Int32Array(0),
    desaByCode: new Map(), kabByCode: new Map(), kecByCode: new Map(), tpsCount: 0,
  };
  const desaStarts: number[] = [];
  const desaCounts: number[] = [];
  let tps = 0;
  for (const spec of specs) {
    // Draw from the rng for every kab, kept or not, so a filter never changes the codes.
    const kecDefs = typeof spec.kec === 'number'
      ? Array.from({ length: spec.kec }, (_, i) => {
        const code = spec.code + String(i + 1).padStart(2, '0');
        return [code, `Kecamatan ${code}`, 0.5 + rng()] as const;
      })
      : spec.kec;
    const desaPerKec = allocate(spec.desa, kecDefs.map((k) => k[2]));
    const tpsPerDesa = allocate(spec.tps, randomWeights(rng, spec.desa));
    if (kabFilter && !kabFilter.has(spec.code)) continue;
    const kab: KabNode = { code: spec.code, name: spec.name, firstKec: tree.kecs.length, kecCount: kecDefs.length, tpsStart: tps, tpsCount: spec.tps };
    tree.kabByCode.set(kab.code, tree.kabs.length);
    tree.kabs.push(kab);
    let d = 0;
    kecDefs.forEach(([code, name], i) => {
      const kec: KecNode = { code, name, firstDesa: tree.desaCode.length, desaCount: desaPerKec[i], tpsStart: tps, tpsCount: 0 };
      for (let j = 0; j < desaPerKec[i]; j++, d++) {
        const desaCode = code + String(2001 + j);
        tree.desaByCode.set(desaCode, tree.desaCode.length);
        tree.desaCode.push(desaCode);
        desaStarts.push(tps);
        desaCounts.push(tpsPerDesa[d]);
        tps += tpsPerDesa[d];
        kec.tpsCount += tpsPerDesa[d];
      }
      tree.kecByCode.set(code, tree.kecs.length);
      tree.kecs.push(kec);
    });
  }
  tree.desaTpsStart = Int32Array.from(desaStarts);
  tree.desaTpsCount = Int32Array.from(desaCounts);
  tree.tpsCount = tps;
  return tree;
}

/** Mean DPT per TPS: the province's registered voters over its TPS, within the election's cap. */
function meanDptPerTps(p: Province, election: ElectionId): number {
  const e = ELECTIONS[election];
  const tps = e.tpsOf(p);
  if (tps === 0) return 0;
  // Pilkada reused the Pemilu voter list with larger TPS (up to 600 voters).
  return Math.min(e.maxVotersPerTps, Math.round(p.dptPemilu2024 / tps));
}

function desaName(code: string): string {
  return `Desa ${code}`;
}


/** Groups region codes by province: null = whole province, else the kab codes kept. */
function parseRegionFilter(codes: readonly string[]): Map<string, Set<string> | null> {
  const out = new Map<string, Set<string> | null>();
  for (const c of codes) {
    if (!/^\d{2}(\d{2})?$/.test(c)) {
      throw new RangeError(`regions: "${c}" is not a 2-digit province or 4-digit kab/kota code`);
    }
    const prov = c.slice(0, 2);
    if (c.length === 2) out.set(prov, null);
    else if (out.get(prov) !== null) {
      const set = out.get(prov) ?? new Set<string>();
      set.add(c);
      out.set(prov, set);
    }
  }
  return out;
}
