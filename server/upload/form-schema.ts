/**
 * Validation of the `data` part of an upload: JSON Schema for the shape (every ADMIN_FIELD a
 * non-negative integer up to MAX_COUNT, chart values likewise), then the ballot check (chart
 * keys are exactly the candidate ids of this contest at this TPS). Arithmetic is not checked
 * here: the guard flags, it never rejects.
 */
import { Ajv, type ErrorObject } from 'ajv';
import { ADMIN_FIELDS, candidatesFor, type Administrasi, type ContestId } from '../../src/domain/index.js';
import { ApiError } from '../errors.js';

/** A tally field above this is not a count from one TPS (at most 600 voters) but a typo. */
export const MAX_COUNT = 100_000;

const count = { type: 'integer', minimum: 0, maximum: MAX_COUNT } as const;
const scalar = { type: ['string', 'number', 'boolean', 'null'], maxLength: 1024 } as const;

export const formDataSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['administrasi', 'chart'],
  properties: {
    administrasi: {
      type: 'object',
      additionalProperties: false,
      required: [...ADMIN_FIELDS],
      properties: Object.fromEntries(ADMIN_FIELDS.map((f) => [f, count])),
    },
    chart: {
      type: 'object',
      propertyNames: { pattern: '^[0-9]{1,12}$' },
      additionalProperties: count,
    },
    // Client metadata (app, device, attempt): small and at most two levels deep, so that storing
    // it (structured clone, JSON.stringify) cannot overflow the stack on a deeply nested value.
    client: {
      type: 'object', maxProperties: 64, propertyNames: { maxLength: 64 },
      additionalProperties: {
        anyOf: [
          scalar,
          { type: 'array', maxItems: 64, items: scalar },
          { type: 'object', maxProperties: 64, propertyNames: { maxLength: 64 }, additionalProperties: scalar },
        ],
      },
    },
  },
} as const;

export interface FormData {
  administrasi: Administrasi;
  chart: Record<string, number>;
  client?: Record<string, unknown>;
}

const ajv = new Ajv({ allErrors: false, strict: false });
const validate = ajv.compile<FormData>(formDataSchema);

function describe(e: ErrorObject): string {
  const at = `data${e.instancePath.replace(/\//g, '.')}`;
  if (e.keyword === 'additionalProperties') return `${at} has unexpected field "${String(e.params.additionalProperty)}"`;
  if (e.keyword === 'required') return `${at} lacks field "${String(e.params.missingProperty)}"`;
  if (e.keyword === 'propertyNames') return `${at} has key "${String(e.params.propertyName)}": candidate ids are digits`;
  if (e.keyword === 'maximum') return `${at} must be at most ${MAX_COUNT} (a count from one TPS)`;
  if (e.keyword === 'minimum') return `${at} must be a non-negative integer`;
  if (e.keyword === 'type') return `${at} must be ${String(e.params.type)}`;
  if (e.keyword === 'anyOf' || e.keyword === 'maxProperties' || e.keyword === 'maxItems' || e.keyword === 'maxLength') {
    return `${at} is too large or too deep (client metadata: at most 64 fields, values scalars or one level of arrays/objects of scalars)`;
  }
  return `${at} ${e.message ?? 'is invalid'}`;
}

/** Parses and checks the `data` part; throws INVALID_JSON, INVALID_FORM or UNKNOWN_CANDIDATE. */
export function parseFormData(raw: string, contest: ContestId, tps: string): FormData {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new ApiError('INVALID_JSON', 'part "data" is not valid JSON');
  }
  if (!validate(value)) {
    throw new ApiError('INVALID_FORM', describe(validate.errors![0]));
  }
  const ballot = candidatesFor(contest, tps);
  const unknown = Object.keys(value.chart).filter((id) => !ballot.includes(id));
  if (unknown.length > 0) {
    throw new ApiError('UNKNOWN_CANDIDATE', `data.chart has ${unknown.join(', ')}, not on the ${contest} ballot at ${tps} (expected ${ballot.join(', ')})`);
  }
  const missing = ballot.filter((id) => !(id in value.chart));
  if (missing.length > 0) {
    throw new ApiError('INVALID_FORM', `data.chart lacks candidate ${missing.join(', ')} of the ${contest} ballot at ${tps}`);
  }
  return value;
}
