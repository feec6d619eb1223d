/**
 * The two elections ujibeban models and which contests each TPS holds.
 * Pilkada 2024: governor (pkwkp) everywhere but DI Yogyakarta; bupati/walikota (pkwkk)
 * everywhere but Jakarta's six areas. Pemilu 2024: five contests; overseas TPS (99) vote only
 * for president and DPR.
 */
import type { Province } from './provinces.js';

export type ElectionId = 'pilkada-2024' | 'pemilu-2024';
export const ELECTION_IDS: readonly ElectionId[] = ['pilkada-2024', 'pemilu-2024'];

export type ContestId = 'pkwkp' | 'pkwkk' | 'ppwp' | 'pdpr' | 'pdpd' | 'pdprdp' | 'pdprdk';

export interface Election {
  id: ElectionId;
  /** Election day, ISO date. */
  date: string;
  /** Path segment of Sirekap's public JSON ("/pilkada/hhcw/..."). */
  publicName: 'pilkada' | 'pemilu';
  contests: readonly ContestId[];
  maxVotersPerTps: number;
  pagesPerForm: number;
  tpsOf(p: Province): number;
}

export const ELECTIONS: Record<ElectionId, Election> = {
  'pilkada-2024': {
    id: 'pilkada-2024',
    date: '2024-11-27',
    publicName: 'pilkada',
    contests: ['pkwkp', 'pkwkk'],
    maxVotersPerTps: 600,
    pagesPerForm: 1,
    tpsOf: (p) => p.tpsPilkada2024,
  },
  'pemilu-2024': {
    id: 'pemilu-2024',
    date: '2024-02-14',
    publicName: 'pemilu',
    contests: ['ppwp', 'pdpr', 'pdpd', 'pdprdp', 'pdprdk'],
    maxVotersPerTps: 300,
    pagesPerForm: 3,
    tpsOf: (p) => p.tpsPemilu2024,
  },
};

export function isElectionId(s: string): s is ElectionId {
  return (ELECTION_IDS as readonly string[]).includes(s);
}

export const DIY = '34';
export const JAKARTA = '31';
export const OVERSEAS = '99';

/** Contests held at TPS of a kab/kota (4-digit code) in an election. */
export function contestsIn(election: ElectionId, kabCode: string): ContestId[] {
  const prov = kabCode.slice(0, 2);
  if (election === 'pilkada-2024') {
    const c: ContestId[] = [];
    if (prov !== DIY) c.push('pkwkp');
    if (prov !== JAKARTA) c.push('pkwkk');
    return c;
  }
  if (prov === OVERSEAS) return ['ppwp', 'pdpr'];
  return ['ppwp', 'pdpr', 'pdpd', 'pdprdp', 'pdprdk'];
}

export function isContestId(s: string): s is ContestId {
  return ['pkwkp', 'pkwkk', 'ppwp', 'pdpr', 'pdpd', 'pdprdp', 'pdprdk'].includes(s);
}
