/**
 * What can go wrong on purpose: the fault configuration the mock applies to its API, set from
 * options, CLI flags or at runtime through the admin route. Plain JSON so that it crosses a
 * worker-thread boundary and an HTTP body unchanged.
 */
import { Ajv } from 'ajv';
import type { Distribution } from '../../src/domain/index.js';

export interface LoginFaults {
  /** Added before a login is handled (ms). Undefined: the top-level latency applies. */
  latency?: Distribution | null;
  /** Share of logins answered 500 INJECTED_FAULT. Undefined: the top-level rate applies. */
  errorRate?: number;
  /** Logins handled at once; beyond, 503 OVERLOADED with Retry-After. */
  maxInFlight?: number | null;
}

export interface FaultConfig {
  /** Added to every API request (ms) before it is handled. */
  latency?: Distribution | null;
  /** Share of API requests answered 500 INJECTED_FAULT (before anything is stored). */
  errorRate?: number;
  /** Periodic stop-the-world: from t0 + k·everyMs for forMs, requests are held. */
  stall?: { everyMs: number; forMs: number } | null;
  /** Uploads handled at once; beyond, 503 OVERLOADED with Retry-After. */
  maxInFlightUploads?: number | null;
  /** Retry-After (seconds) sent with OVERLOADED; default 1. */
  retryAfterS?: number;
  login?: LoginFaults;
}

const distribution = {
  oneOf: [
    { type: 'null' },
    { type: 'object', additionalProperties: false, required: ['fixed'], properties: { fixed: { type: 'number', minimum: 0 } } },
    {
      type: 'object', additionalProperties: false, required: ['uniform'],
      properties: {
        uniform: {
          type: 'object', additionalProperties: false, required: ['min', 'max'],
          properties: { min: { type: 'number', minimum: 0 }, max: { type: 'number', minimum: 0 } },
        },
      },
    },
    {
      type: 'object', additionalProperties: false, required: ['lognormal'],
      properties: {
        lognormal: {
          type: 'object', additionalProperties: false, required: ['median', 'sigma'],
          properties: { median: { type: 'number', minimum: 0 }, sigma: { type: 'number', minimum: 0 } },
        },
      },
    },
  ],
} as const;

const rate = { type: 'number', minimum: 0, maximum: 1 } as const;
const cap = { oneOf: [{ type: 'null' }, { type: 'integer', minimum: 0 }] } as const;

/** JSON Schema of a FaultConfig (the admin route validates PUT bodies with it). */
export const faultConfigSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    latency: distribution,
    errorRate: rate,
    stall: {
      oneOf: [
        { type: 'null' },
        {
          type: 'object', additionalProperties: false, required: ['everyMs', 'forMs'],
          properties: { everyMs: { type: 'number', exclusiveMinimum: 0 }, forMs: { type: 'number', minimum: 0 } },
        },
      ],
    },
    maxInFlightUploads: cap,
    retryAfterS: { type: 'integer', minimum: 0 },
    login: {
      type: 'object', additionalProperties: false,
      properties: { latency: distribution, errorRate: rate, maxInFlight: cap },
    },
  },
} as const;

// Our own strict Ajv: Fastify's default one strips unknown fields (removeAdditional), which
// corrupts oneOf branches.
const validate = new Ajv({ strict: false }).compile<FaultConfig>(faultConfigSchema);

/** What is wrong with a fault configuration (schema, then semantics), or null. */
export function faultConfigError(value: unknown): string | null {
  if (!validate(value)) {
    const e = validate.errors![0];
    return `faults${e.instancePath.replace(/\//g, '.')} ${e.message ?? 'is invalid'}`;
  }
  const f = value;
  if (f.stall && f.stall.forMs >= f.stall.everyMs) {
    return `stall.forMs (${f.stall.forMs}) must be less than stall.everyMs (${f.stall.everyMs})`;
  }
  for (const [where, d] of [['latency', f.latency], ['login.latency', f.login?.latency]] as const) {
    if (d && 'uniform' in d && d.uniform.max < d.uniform.min) {
      return `${where}.uniform.max must be at least min`;
    }
  }
  return null;
}
