/** The plan: when each arrival is intended to start (see types.ts and plan.ts). */
export * from './types.js';
export { buildPlan, curveFor, hitTps, formatPlanDescription } from './plan.js';
export { curveFromPoints, defaultCurvePoints, type Curve } from './curve.js';
export * from './clock.js';
export * from './permutation.js';
export * from './segment.js';
export * from './rate.js';
export * from './merge.js';
export * from './schedule.js';
export { ZoneOfficers, officerKey, type ZoneOfficersOptions } from './officers.js';
export { Viewers, ReadMix, viewerRateCurve } from './viewers.js';
export { ConstantRate, type ConstantRateConfig } from './constant-rate.js';
export { RampingRate, rampPoints, type RampingRateConfig } from './ramping-rate.js';
export { describeArrivals, formatDurationMs, type DescribeInput } from './describe.js';
