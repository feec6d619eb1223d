/**
 * buildPlan composes the small pieces into the Plan the engine consumes: the completion curve
 * (curve.ts), the zone shift and time compression (clock.ts), one officer schedule per zone
 * (officers.ts), the viewers (viewers.ts) or one executor (constant-rate.ts, ramping-rate.ts),
 * the segment filter (segment.ts) and the time-ordered merge (merge.ts). Nothing here holds a
 * value per TPS; arrivals() is a fresh lazy walk each time.
 */
import { hashString } from '../../src/domain/rng.js';
import { formatLocalTime, ZONE_NAMES, type Zone } from '../../src/domain/zones.js';
import type { Hierarchy } from '../../src/domain/hierarchy.js';
import type {
  ConstantRateScenario, ElectionDayScenario, RampingRateScenario, RequestKind, Scenario,
} from '../../src/scenario/types.js';
import { originSimS, PlanClock } from './clock.js';
import { ConstantRate } from './constant-rate.js';
import { curveFromPoints, defaultCurvePoints, type Curve } from './curve.js';
import { describeArrivals } from './describe.js';
import { MergedArrivals } from './merge.js';
import { ZoneOfficers } from './officers.js';
import { seededPermutation } from './permutation.js';
import { RampingRate } from './ramping-rate.js';
import { lastMsIn, scheduleSource, type Schedule } from './schedule.js';
import { checkSegment, WHOLE } from './segment.js';
import type { Plan, PlanCheckpoint, PlanDescription, Segment } from './types.js';
import { Viewers } from './viewers.js';

export { formatPlanDescription } from './describe.js';

/** The scenario's completion curve: its explicit points, else the default through the checkpoints. */
export function curveFor(s: ElectionDayScenario): Curve {
  return curveFromPoints(s.curve.length > 0 ? s.curve : defaultCurvePoints(s.window, s.checkpoints));
}

/** Builds segment `segment` (default 1/1) of the plan of `scenario` over `hierarchy`. */
export function buildPlan(scenario: Scenario, hierarchy: Hierarchy, segment: Segment = WHOLE): Plan {
  const seg = checkSegment(segment);
  if (hierarchy.election !== scenario.election) {
    throw new RangeError(`plan: the hierarchy holds ${hierarchy.election} but the scenario "${scenario.name}" is ${scenario.election}`);
  }
  return scenario.executor === 'election-day'
    ? electionDayPlan(scenario, hierarchy, seg)
    : executorPlan(scenario, hierarchy, seg);
}

const noZones = (): Record<Zone, number> => ({ WIB: 0, WITA: 0, WIT: 0 });

function electionDayPlan(s: ElectionDayScenario, h: Hierarchy, seg: Segment): Plan {
  const totals = h.zoneTotals();
  // Zones present in the whole hierarchy (not the segment), so every segment shares the origin.
  const zones = ZONE_NAMES.filter((z) => totals[z] > 0);
  const curve = curveFor(s);
  const startMin = Math.min(s.window.startMin, curve.startMin);
  const clock = new PlanClock(s.clock, originSimS(s.clock, startMin, zones), s.timeScale);
  const officers = zones.map((zone) => new ZoneOfficers({ zone, ranges: h.zoneRanges(zone), curve, clock, seed: s.seed }));
  const viewers = new Viewers(s.viewers, clock, s.seed);
  const schedules: Schedule[] = [...officers, viewers];
  const sourceZones: Array<Zone | null> = [...zones, null];

  const officersByZone = noZones();
  for (const o of officers) officersByZone[o.zone] = o.countIn(seg);
  const officerCount = officers.reduce((n, o) => n + o.countIn(seg), 0);

  const checkpoints: PlanCheckpoint[] = s.checkpoints.map((c) => {
    const realMsByZone: PlanCheckpoint['realMsByZone'] = {};
    const plannedByZone: PlanCheckpoint['plannedByZone'] = {};
    const totalByZone: PlanCheckpoint['totalByZone'] = {};
    for (const o of officers) {
      realMsByZone[o.zone] = clock.localMinToRealMs(o.zone, c.atMin);
      plannedByZone[o.zone] = o.plannedBy(c.atMin, seg);
      totalByZone[o.zone] = o.countIn(seg);
    }
    const planned = Object.values(plannedByZone).reduce((a, b) => a + (b ?? 0), 0);
    return { at: c.at, atMin: c.atMin, target: c.target, realMsByZone, plannedByZone, planned, total: officerCount, totalByZone };
  });

  const durationMs = Math.max(0, ...schedules.map((x) => lastMsIn(x, seg)));
  const arrivals = () => new MergedArrivals(schedules.map((x) => scheduleSource(x, seg)));
  const simAt = (realMs: number): number => clock.realMsToSimS(realMs);

  return {
    segment: seg,
    simOriginS: clock.originS,
    timeScale: s.timeScale,
    durationMs,
    officerCount,
    officersByZone,
    checkpoints,
    arrivals,
    simAt,
    describe: (): PlanDescription => describeArrivals({
      arrivals,
      sourceZones,
      checkpoints,
      bucketOf: (ms) => Math.floor(simAt(ms) / 3600),
      bucketLabel: (hour) => formatLocalTime(hour * 60),
      bucketWidth: 'WIB hour',
      durationMs,
    }),
  };
}

/** Requests that act as an officer of one TPS (they need a TPS code and PIN). */
const TPS_REQUESTS: ReadonlySet<RequestKind> = new Set<RequestKind>(['login', 'upload']);

/**
 * The TPS an executor hit j works on: every TPS once in a seeded order, then again, so a
 * login/upload test spreads over the whole hierarchy (and segments over disjoint TPS while
 * hits < TPS).
 */
export function hitTps(totalTps: number, seed: number): (j: number) => number {
  const perm = seededPermutation(totalTps, hashString('plan/hits', seed));
  return (j) => perm.at(j % totalTps);
}

function executorPlan(s: ConstantRateScenario | RampingRateScenario, h: Hierarchy, seg: Segment): Plan {
  const tpsOf = TPS_REQUESTS.has(s.request) ? hitTps(h.totalTps, s.seed) : () => -1;
  const schedule = s.executor === 'constant-rate'
    ? new ConstantRate({ rate: s.rate, durationMs: s.durationMs, request: s.request }, tpsOf)
    : new RampingRate({ startRate: s.startRate, stages: s.stages, request: s.request }, tpsOf);
  const durationMs = Math.max(0, lastMsIn(schedule, seg));
  const arrivals = () => new MergedArrivals([scheduleSource(schedule, seg)]);
  const widthS = schedule.durationMs <= 600_000 ? 10 : 60;
  return {
    segment: seg,
    simOriginS: null,
    timeScale: 1,
    durationMs,
    officerCount: 0,
    officersByZone: noZones(),
    checkpoints: [],
    arrivals,
    simAt: () => null,
    describe: () => describeArrivals({
      arrivals,
      sourceZones: [null],
      checkpoints: [],
      bucketOf: (ms) => Math.floor(ms / (widthS * 1000)),
      bucketLabel: (b) => formatMinSec(b * widthS),
      bucketWidth: widthS === 10 ? 'real 10 s' : 'real minute',
      durationMs,
    }),
  };
}

/** 90 -> "01:30" (minutes:seconds since the start). */
function formatMinSec(s: number): string {
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}
