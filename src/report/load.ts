/**
 * Reading result.json from disk for report/compare/merge: a bad file becomes one UsageError
 * that names the file and the field, never a crash deep inside a renderer.
 */
import { readFile } from 'node:fs/promises';
import { UsageError } from '../cli/errors.js';
import { RESULT_SCHEMA } from '../result/types.js';
import type { ResultV1 } from '../result/types.js';

type Kind = 'number' | 'string' | 'boolean' | 'object' | 'array' | 'number|null' | 'string|null' | 'object|null';

/** Fields the tools read, by path; `[]` checks the first, middle and last element of an array. */
const REQUIRED: Array<[string, Kind]> = [
  ['pass', 'boolean'], ['partial', 'boolean'], ['failures', 'array'],
  ['meta', 'object'], ['meta.scenario', 'string'], ['meta.executor', 'string'], ['meta.election', 'string'],
  ['meta.scale', 'number'], ['meta.seed', 'number'], ['meta.time_scale', 'number'], ['meta.interval_s', 'number'],
  ['meta.sim_origin_s', 'number|null'], ['meta.segment', 'object|null'], ['meta.started_at', 'string'],
  ['meta.target', 'string'], ['meta.versions', 'object'], ['meta.machine', 'object'],
  ['summary', 'object'], ['summary.duration_s', 'number'],
  ['summary.requests.total', 'number'], ['summary.requests.ok', 'number'], ['summary.requests.failed', 'number'],
  ['summary.requests.dropped', 'number'], ['summary.requests.by_status', 'object'], ['summary.requests.by_code', 'object'],
  ['summary.latency_ms.p50', 'number'], ['summary.latency_ms.p99', 'number'], ['summary.latency_ms.max', 'number'],
  ['summary.service_time_ms.p99', 'number'], ['summary.schedule_lag_ms.p99', 'number'],
  ['summary.tps.total', 'number'], ['summary.tps.completed', 'number'], ['summary.tps.by_zone', 'object'],
  ['summary.uploads', 'object'], ['summary.rate.offered_per_s', 'number'], ['summary.rate.achieved_per_s', 'number'],
  ['series', 'object'],
  ['checkpoints', 'array'], ['checkpoints[].at', 'string'], ['checkpoints[].target', 'number'],
  ['checkpoints[].achieved', 'number'], ['checkpoints[].completed', 'number'], ['checkpoints[].total', 'number'],
  ['checkpoints[].by_zone', 'object'], ['checkpoints[].pass', 'boolean'],
  ['thresholds', 'array'], ['thresholds[].metric', 'string'], ['thresholds[].expr', 'string'],
  ['thresholds[].value', 'number'], ['thresholds[].pass', 'boolean'],
  ['timeline', 'array'], ['timeline[].t_s', 'number'], ['timeline[].sim_s', 'number|null'],
  ['timeline[].offered', 'number'], ['timeline[].dropped', 'number'], ['timeline[].series', 'object'],
  ['timeline[].lag_p99_ms', 'number'], ['timeline[].completed_cum', 'object'],
  ['provinces', 'array'], ['provinces[].code', 'string'], ['provinces[].zone', 'string'],
  ['provinces[].total', 'number'], ['provinces[].completed', 'number'],
  ['histograms', 'object'], ['histograms.total', 'object'], ['histograms.intervals', 'array'],
];

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function matches(value: unknown, kind: Kind): boolean {
  return kind.split('|').includes(kindOf(value));
}

/** Values at a path; "a[].b" expands to a sample of array elements (with their index). */
function valuesAt(root: unknown, path: string): Array<[string, unknown]> {
  let current: Array<[string, unknown]> = [['', root]];
  for (const part of path.split('.')) {
    const next: Array<[string, unknown]> = [];
    for (const [at, value] of current) {
      const isArray = part.endsWith('[]');
      const name = isArray ? part.slice(0, -2) : part;
      const child = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[name] : undefined;
      const childAt = at ? `${at}.${name}` : name;
      if (!isArray) { next.push([childAt, child]); continue; }
      if (!Array.isArray(child)) continue; // reported by the plain array check
      const picks = new Set([0, Math.floor(child.length / 2), child.length - 1].filter((i) => i >= 0 && i < child.length));
      for (const i of picks) next.push([`${childAt}[${i}]`, child[i]]);
    }
    current = next;
  }
  return current;
}

/** Validates a parsed result; throws UsageError naming `source` and the first bad field. */
export function validateResult(data: unknown, source: string): ResultV1 {
  if (kindOf(data) !== 'object') throw new UsageError(`${source}: expected a JSON object (ujibeban result), got ${kindOf(data)}`);
  const schema = (data as { schema?: unknown }).schema;
  if (schema !== RESULT_SCHEMA) {
    throw new UsageError(`${source}: field "schema" is ${JSON.stringify(schema)}, expected "${RESULT_SCHEMA}"`);
  }
  for (const [path, kind] of REQUIRED) {
    for (const [at, value] of valuesAt(data, path)) {
      if (!matches(value, kind)) {
        const got = value === undefined ? 'missing' : kindOf(value);
        throw new UsageError(`${source}: field "${at}" is ${got}, expected ${kind.replace('|', ' or ')}`);
      }
    }
  }
  const r = data as ResultV1;
  if (r.histograms.intervals.length !== 0 && r.histograms.intervals.length !== r.timeline.length) {
    throw new UsageError(`${source}: field "histograms.intervals" has ${r.histograms.intervals.length} entries, ` +
      `expected one per timeline interval (${r.timeline.length}) or none`);
  }
  return r;
}

export async function readResult(file: string): Promise<ResultV1> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`${file}: cannot read result file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  return validateResult(data, file);
}
