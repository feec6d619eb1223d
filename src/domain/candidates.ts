/**
 * Synthetic candidates in Sirekap's id style, deterministic per contest and electoral area.
 * Presidential pairs are the real 2024 ids (100025..100027); party-list contests use the 18
 * national party numbers; regional heads get 7-digit ids (1000001..) like Pilkada 2024.
 */
import type { ContestId } from './elections.js';
import { hashString } from './rng.js';

const PRESIDENTIAL = ['100025', '100026', '100027'];
/** Party numbers of the 18 national parties on the 2024 ballot. */
const PARTIES = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14', '15', '16', '17', '24'];

/** The area whose ballot a TPS's contest uses: province for governor/DPD/DPRD I, kab for the rest. */
export function electoralArea(contest: ContestId, tpsCode: string): string {
  switch (contest) {
    case 'ppwp':
    case 'pdpr':
      return '00';
    case 'pkwkp':
    case 'pdpd':
    case 'pdprdp':
      return tpsCode.slice(0, 2);
    default:
      return tpsCode.slice(0, 4);
  }
}

const cache = new Map<string, readonly string[]>();

/** Candidate (or party) ids on the ballot of `contest` at `tpsCode`, in ballot order. */
export function candidatesFor(contest: ContestId, tpsCode: string): readonly string[] {
  const area = electoralArea(contest, tpsCode);
  const key = `${contest}/${area}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let ids: string[];
  if (contest === 'ppwp') ids = PRESIDENTIAL;
  else if (contest === 'pdpr' || contest === 'pdprdp' || contest === 'pdprdk') ids = PARTIES;
  else if (contest === 'pdpd') {
    const n = 10 + (hashString(key) % 20);
    ids = Array.from({ length: n }, (_, i) => String(200000 + Number(area) * 100 + i + 1));
  } else {
    // Regional heads: 2 to 5 pairs (Barito Utara: 2 bupati pairs, 4 governor pairs in Kalteng).
    const fixed: Record<string, number> = { 'pkwkk/6205': 2, 'pkwkp/62': 4 };
    const n = fixed[key] ?? 2 + (hashString(key) % 4);
    const base = 1000000 + (contest === 'pkwkp' ? 0 : 500000) + (Number(area) % 10000) * 10;
    ids = Array.from({ length: n }, (_, i) => String(base + i + 1));
  }
  cache.set(key, ids);
  return ids;
}
