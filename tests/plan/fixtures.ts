/**
 * Scenarios built directly (the parser lives in another room): the pilkada-2024 national day,
 * Barito Utara alone, and the two executors. Times are local minutes, as the parser makes them.
 */
import { parseLocalTime } from '../../src/domain/zones.js';
import type {
  ConstantRateScenario, ElectionDayScenario, RampingRateScenario, ViewerConfig,
} from '../../src/scenario/types.js';

const min = (hhmm: string): number => {
  const m = parseLocalTime(hhmm);
  if (m === null) throw new Error(`bad time ${hhmm}`);
  return m;
};

/** The plan reads none of these; a cast keeps the fixture independent of their exact shape. */
const base = {
  description: 'fixture',
  officers: {} as ElectionDayScenario['officers'],
  limits: { maxInFlight: 2000, connections: 128 },
  thresholds: [],
  intervalS: 10,
};

const noViewers: ViewerConfig = { rate: [], mix: { progress: 0.6, hhcw: 0.4, wilayah: 0 } };

export interface DayOptions {
  name?: string;
  regions?: 'all' | string[];
  scale?: number;
  seed?: number;
  clock?: 'local' | 'wib';
  window?: [string, string];
  checkpoints?: Array<[string, number]>;
  curve?: Array<[string, number]>;
  timeScale?: number;
  viewers?: { rate: Array<[string, number]>; mix?: ViewerConfig['mix'] };
}

/** An election day; defaults: pilkada-2024 national, 13:00–24:00 local, 80% by 17:00, 100% by 24:00. */
export function electionDay(o: DayOptions = {}): ElectionDayScenario {
  const [start, end] = o.window ?? ['13:00', '24:00'];
  const cps = o.checkpoints ?? [['17:00', 0.8], ['24:00', 1]];
  return {
    ...base,
    name: o.name ?? 'pilkada-2024-nasional',
    election: 'pilkada-2024',
    executor: 'election-day',
    regions: o.regions ?? 'all',
    scale: o.scale ?? 0.01,
    seed: o.seed ?? 1,
    clock: o.clock ?? 'local',
    window: { start, end, startMin: min(start), endMin: min(end) },
    checkpoints: cps.map(([at, target]) => ({ at, atMin: min(at), target })),
    curve: (o.curve ?? []).map(([at, value]) => ({ atMin: min(at), value })),
    timeScale: o.timeScale ?? 60,
    viewers: o.viewers
      ? { rate: o.viewers.rate.map(([at, value]) => ({ atMin: min(at), value })), mix: o.viewers.mix ?? noViewers.mix }
      : noViewers,
    drainS: 30,
  };
}

export function constantRate(o: Partial<Pick<ConstantRateScenario, 'rate' | 'durationMs' | 'request' | 'seed'>> = {}): ConstantRateScenario {
  return {
    ...base,
    name: 'read-progress-500',
    election: 'pilkada-2024',
    executor: 'constant-rate',
    regions: 'all',
    scale: 0.01,
    seed: o.seed ?? 1,
    rate: o.rate ?? 500,
    durationMs: o.durationMs ?? 60_000,
    request: o.request ?? 'read:progress',
    drainS: 10,
  };
}

export function rampingRate(o: Partial<Pick<RampingRateScenario, 'startRate' | 'stages' | 'request' | 'seed'>> = {}): RampingRateScenario {
  return {
    ...base,
    name: 'login-ramp',
    election: 'pilkada-2024',
    executor: 'ramping-rate',
    regions: 'all',
    scale: 0.01,
    seed: o.seed ?? 1,
    startRate: o.startRate ?? 0,
    stages: o.stages ?? [{ durationMs: 30_000, target: 100 }, { durationMs: 60_000, target: 100 }, { durationMs: 30_000, target: 0 }],
    request: o.request ?? 'login',
    drainS: 10,
  };
}
