/**
 * A scenario after parsing, validation and defaults: what the engine runs. The JSON form that
 * users write is described by the JSON Schema in ./schema.ts; durations there are strings
 * ("30s", "5m", "250ms") and become milliseconds here; local times ("17:00", "24:00") become
 * minutes since midnight.
 */
import type { ElectionId } from '../domain/elections.js';
import type { Distribution } from '../domain/distribution.js';

export type { Distribution };

export interface RetryPolicy {
  /** Attempts after the first one. */
  max: number;
  baseMs: number;
  capMs: number;
  jitter: 'full' | 'none';
  honourRetryAfter: boolean;
}

/**
 * What each officer session does: "full" logs in, then uploads one C1 form per contest;
 * "login-only" logs in and stops (the 13 Oct 2024 national test failed at login).
 */
export type OfficerMode = 'full' | 'login-only';

export interface OfficerConfig {
  /**
   * Optional so that hand-built configs stay valid; absent means "full". The loader always
   * fills it.
   */
  mode?: OfficerMode;
  pagesPerForm: number;
  photoBytes: Distribution;
  /** Share of forms with an OCR-like misread (flagged by the arithmetic guard). */
  misreadShare: number;
  /** Share of uploads sent a second time unchanged (expect 200, same receipt). */
  duplicateShare: number;
  /** Share of uploads followed by a corrected upload (expect 201, version+1). */
  correctionShare: number;
  attemptTimeoutMs: number;
  retry: RetryPolicy;
  /** Pause between login and first upload, and between contests (simulated ms, scaled). */
  thinkMs: number;
}

/** A point of a piecewise-linear curve: local time in minutes since 00:00 and a value. */
export interface CurvePoint { atMin: number; value: number }

export interface ViewerConfig {
  /** Reads per real second along local (WIB) time; piecewise-linear. Empty = no viewers. */
  rate: CurvePoint[];
  mix: { progress: number; hhcw: number; wilayah: number };
}

export interface Checkpoint { at: string; atMin: number; target: number }

export interface Threshold {
  /** "login" | "upload" | "read" | "all" */
  metric: string;
  expr: string;
}

export interface Limits { maxInFlight: number; connections: number }

export type RequestKind = 'login' | 'upload' | 'read:progress' | 'read:hhcw' | 'read:wilayah';

interface ScenarioBase {
  name: string;
  description: string;
  election: ElectionId;
  /** "all", or province (2-digit) / kab-kota (4-digit) codes. */
  regions: 'all' | string[];
  scale: number;
  seed: number;
  officers: OfficerConfig;
  limits: Limits;
  thresholds: Threshold[];
  /** Length of one timeline interval in real seconds. */
  intervalS: number;
}

export interface ElectionDayScenario extends ScenarioBase {
  executor: 'election-day';
  clock: 'local' | 'wib';
  window: { start: string; end: string; startMin: number; endMin: number };
  checkpoints: Checkpoint[];
  /**
   * The completion curve F(local minutes) in [0,1]: piecewise-linear through these points.
   * Default: (window.start, 0), each checkpoint, (window.end, 1).
   */
  curve: CurvePoint[];
  /** Simulated seconds per real second. */
  timeScale: number;
  viewers: ViewerConfig;
  /** Real seconds to wait for in-flight sessions after the last arrival. */
  drainS: number;
}

export interface RateStage { durationMs: number; target: number }

export interface ConstantRateScenario extends ScenarioBase {
  executor: 'constant-rate';
  rate: number;
  durationMs: number;
  request: RequestKind;
  drainS: number;
}

export interface RampingRateScenario extends ScenarioBase {
  executor: 'ramping-rate';
  startRate: number;
  stages: RateStage[];
  request: RequestKind;
  drainS: number;
}

export type Scenario = ElectionDayScenario | ConstantRateScenario | RampingRateScenario;
