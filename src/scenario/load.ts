/**
 * From a scenario file (or a shipped name) to the resolved Scenario the engine runs: read the
 * JSON, apply `--set path=value` and the named flags, validate the shape (JSON Schema) and the
 * meaning (checkpoints, curve, shares, region codes), fill defaults, convert units. Every
 * problem is one UsageError line: file, field path, what was expected.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, isAbsolute, relative, resolve } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { UsageError } from '../cli/errors.js';
import { ELECTIONS, type ElectionId } from '../domain/elections.js';
import { Hierarchy } from '../domain/hierarchy.js';
import { packageFile } from '../domain/package-root.js';
import { parseLocalTime } from '../domain/zones.js';
import type { Distribution } from '../domain/distribution.js';
import { DURATION_EXPECTED, parseDuration } from './duration.js';
import { EXECUTOR_FIELDS, EXPECTED, SCENARIO_SCHEMA } from './schema.js';
import type {
  Checkpoint, CurvePoint, OfficerConfig, RequestKind, Scenario, Threshold, ViewerConfig,
} from './types.js';

export interface LoadOptions {
  /** `path=value` overrides, applied in order before validation (value parsed as JSON when it parses). */
  set?: string[];
  scale?: number;
  seed?: number;
  timeScale?: number;
}

/** The uji beban target: 80% of TPS by 17:00 and 100% by 24:00, local time. */
export const UJI_BEBAN_CHECKPOINTS: ReadonlyArray<{ at: string; target: number }> = [
  { at: '17:00', target: 0.8 },
  { at: '24:00', target: 1 },
];

export const DEFAULTS = {
  regions: 'all' as const,
  scale: 1,
  seed: 1,
  executor: 'election-day' as const,
  clock: 'local' as const,
  window: { start: '13:00', end: '24:00' },
  timeScale: 60,
  officers: {
    mode: 'full' as const,
    photoBytes: { lognormal: { median: 300_000, sigma: 0.5 } } as Distribution,
    misreadShare: 0.01,
    duplicateShare: 0.02,
    correctionShare: 0.005,
    attemptTimeout: '30s',
    think: '0s',
    retry: { max: 8, base: '2s', cap: '5m', jitter: 'full' as const, honourRetryAfter: true },
  },
  viewersMix: { progress: 0.6, hhcw: 0.3, wilayah: 0.1 },
  limits: { maxInFlight: 2000, connections: 128 },
  interval: '1s',
  drain: '30s',
  startRate: 0,
};

/** Names of the shipped scenarios resolve to `scenarios/<name>.json` in the package. */
export function shippedScenarioFile(name: string): string {
  return packageFile('scenarios', `${name}.json`);
}

/**
 * Finds the file of a scenario argument: a shipped name ("smoke") or a path. Returns the
 * absolute path and the name to show in messages (relative to the working directory when
 * inside it).
 */
export function resolveScenarioFile(fileOrName: string): { path: string; display: string } {
  const looksLikePath = /[\\/]/.test(fileOrName) || fileOrName.endsWith('.json');
  if (!looksLikePath && /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(fileOrName)) {
    const shipped = shippedScenarioFile(fileOrName);
    if (existsSync(shipped)) return { path: shipped, display: displayPath(shipped) };
  }
  const path = resolve(fileOrName);
  if (existsSync(path)) return { path, display: fileOrName };
  const hint = looksLikePath ? '' : `, and not a shipped scenario (try \`ujibeban scenario list\`)`;
  throw new UsageError(`${fileOrName}: no such scenario file${hint}`);
}

function displayPath(abs: string): string {
  const rel = relative(process.cwd(), abs);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}

/** Reads, overrides, validates and resolves a scenario file or shipped name. */
export function loadScenario(fileOrName: string, opts: LoadOptions = {}): { scenario: Scenario; file: string } {
  const { path, display } = resolveScenarioFile(fileOrName);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`${display}: cannot read: ${(e as Error).message}`);
  }
  const json = parseJsonText(text, display);
  return { scenario: parseScenario(json, display, opts), file: path };
}

/** JSON.parse with the error position given as line and column. */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    const msg = (e as Error).message;
    const m = /at position (\d+)/.exec(msg);
    let where = '';
    if (m) {
      const pos = Number(m[1]);
      const before = text.slice(0, pos);
      const line = before.split('\n').length;
      const col = pos - before.lastIndexOf('\n');
      where = ` at line ${line}, column ${col}`;
    } else if (/end of JSON input/.test(msg)) {
      where = ' at the end of the file';
    }
    const reason = msg.replace(/\s*in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)/, '');
    throw new UsageError(`${file}: invalid JSON${where}: ${reason}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Validation with readable messages

let validator: ValidateFunction | null = null;

function validate(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: false, verbose: true, strict: true, strictTypes: false, strictRequired: false });
    validator = ajv.compile(SCENARIO_SCHEMA);
  }
  return validator;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

const fail = (file: string, path: string, message: string): UsageError =>
  new UsageError(path ? `${file}: ${path}: ${message}` : `${file}: ${message}`);

/** A value for messages: JSON, shortened. */
export function show(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function pointerToPath(pointer: string): string[] {
  if (!pointer) return [];
  return pointer.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function joinPath(parts: readonly (string | number)[]): string {
  return parts.join('.');
}

const DEF_NAMES = new Map<unknown, string>(Object.entries(SCENARIO_SCHEMA.$defs).map(([name, node]) => [node, name]));

/** The named definition ($defs) an error comes from: by schema identity, else by its path. */
function defNameOf(err: ErrorObject): string | undefined {
  return DEF_NAMES.get(err.parentSchema) ?? /#\/\$defs\/([^/]+)/.exec(err.schemaPath)?.[1];
}

/** What a schema node expects, in words (for nodes without a named definition). */
function expectationOf(node: Record<string, unknown> | undefined): string {
  if (!node) return 'a valid value';
  if (Array.isArray(node.enum)) return `one of ${node.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  if ('const' in node) return JSON.stringify(node.const);
  const type = node.type;
  if (type === 'number' || type === 'integer') {
    const noun = type === 'integer' ? 'an integer' : 'a number';
    const lo = node.exclusiveMinimum ?? node.minimum;
    const hi = node.exclusiveMaximum ?? node.maximum;
    const loOpen = node.exclusiveMinimum !== undefined;
    const hiOpen = node.exclusiveMaximum !== undefined;
    if (lo !== undefined && hi !== undefined) return `${noun} in ${loOpen ? '(' : '['}${lo}, ${hi}${hiOpen ? ')' : ']'}`;
    if (lo !== undefined) return `${noun} ${loOpen ? '>' : '>='} ${lo}`;
    if (hi !== undefined) return `${noun} ${hiOpen ? '<' : '<='} ${hi}`;
    return noun;
  }
  if (type === 'string') return node.pattern ? `a string matching ${node.pattern}` : 'a string';
  if (type === 'boolean') return 'true or false';
  if (type === 'object') return 'an object';
  if (type === 'array') return 'an array';
  return 'a valid value';
}

function schemaError(errors: ErrorObject[], file: string, data: unknown): UsageError {
  const depth = (e: ErrorObject) => pointerToPath(e.instancePath).length;
  const union = errors.find((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const plain = errors.filter((e) => !['anyOf', 'oneOf', 'if'].includes(e.keyword));
  let err = plain.reduce<ErrorObject | undefined>((best, e) => (!best || depth(e) > depth(best) ? e : best), undefined);
  if (union && (!err || depth(err) <= depth(union))) err = union;
  if (!err) err = errors[0];
  const path = pointerToPath(err.instancePath);
  const def = defNameOf(err);
  const parent = err.parentSchema as Record<string, unknown> | undefined;
  const got = `got ${show(err.data)}`;
  const expected = (def && EXPECTED[def]) || expectationOf(parent);
  switch (err.keyword) {
    case 'required': {
      const missing = (err.params as { missingProperty: string }).missingProperty;
      const props = (parent?.properties ?? SCENARIO_SCHEMA.properties) as Record<string, { description?: string }>;
      const top = SCENARIO_SCHEMA.properties as Record<string, { description?: string }>;
      const desc = (props[missing] ?? top[missing])?.description;
      const when = /\/then\//.test(err.schemaPath)
        ? ` (required with executor ${show((data as JsonObject).executor)})` : '';
      return fail(file, joinPath([...path, missing]), `required field missing${when}${desc ? `: ${desc}` : ''}`);
    }
    case 'additionalProperties': {
      const extra = (err.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys((parent?.properties ?? {}) as object).filter((k) => k !== '$schema');
      const near = known.find((k) => k.toLowerCase() === extra.toLowerCase()) ?? known.find((k) => editDistance(k, extra) <= 2);
      return fail(file, joinPath([...path, extra]),
        `unknown property${near ? ` (did you mean "${near}"?)` : ''}; expected one of ${known.join(', ')}`);
    }
    case 'uniqueItems': {
      const { i, j } = err.params as { i: number; j: number };
      return fail(file, joinPath(path), `items ${j} and ${i} are the same; expected each at most once`);
    }
    case 'minItems': case 'maxItems': case 'items': case 'prefixItems': {
      if (def && EXPECTED[def]) return fail(file, joinPath(path), `expected ${EXPECTED[def]}, ${got}`);
      const limit = (err.params as { limit: number }).limit;
      return fail(file, joinPath(path), `expected ${err.keyword === 'minItems' ? 'at least' : 'at most'} ${limit} item${limit === 1 ? '' : 's'}, ${got}`);
    }
    default:
      return fail(file, joinPath(path), `expected ${expected}, ${got}`);
  }
}

function editDistance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length][b.length];
}

// ---------------------------------------------------------------------------------------------
// --set overrides

type SchemaNode = Record<string, unknown>;

function deref(node: SchemaNode): SchemaNode {
  let n = node;
  for (let i = 0; i < 10 && typeof n.$ref === 'string'; i++) {
    const name = (n.$ref as string).replace('#/$defs/', '');
    n = (SCENARIO_SCHEMA.$defs as Record<string, SchemaNode>)[name];
  }
  return n;
}

/** The schema of `key` under `node`, or undefined when the schema has no such field. */
function schemaChild(node: SchemaNode, key: string): SchemaNode | undefined {
  const n = deref(node);
  if (Array.isArray(n.anyOf)) {
    for (const branch of n.anyOf as SchemaNode[]) {
      const c = schemaChild(branch, key);
      if (c) return c;
    }
    return undefined;
  }
  const props = n.properties as Record<string, SchemaNode> | undefined;
  if (props && Object.prototype.hasOwnProperty.call(props, key)) return props[key];
  if (/^\d+$/.test(key)) {
    const i = Number(key);
    const prefix = n.prefixItems as SchemaNode[] | undefined;
    if (prefix) return i < prefix.length ? prefix[i] : undefined;
    if (n.items && typeof n.items === 'object') return n.items as SchemaNode;
  }
  return undefined;
}

function fieldsOf(node: SchemaNode): string[] {
  const n = deref(node);
  if (Array.isArray(n.anyOf)) return (n.anyOf as SchemaNode[]).flatMap(fieldsOf);
  if (n.properties) return Object.keys(n.properties as object).filter((k) => k !== '$schema');
  if (n.prefixItems) return (n.prefixItems as unknown[]).map((_, i) => String(i));
  if (n.items) return ['0', '1', '...'];
  return [];
}

/** Parses a `--set` value: JSON when it parses ("0.9", "true", "[\"62\"]"), else the string. */
export function parseSetValue(raw: string): Json {
  try {
    return JSON.parse(raw) as Json;
  } catch {
    return raw;
  }
}

/** Applies one `path=value` assignment to raw scenario JSON (in place). */
export function applySet(json: JsonObject, assignment: string, file: string): void {
  const eq = assignment.indexOf('=');
  if (eq <= 0) throw new UsageError(`${file}: --set ${show(assignment)}: expected path=value, e.g. checkpoints.0.target=0.9`);
  const path = assignment.slice(0, eq).trim().split('.');
  const value = parseSetValue(assignment.slice(eq + 1));
  let node: SchemaNode = SCENARIO_SCHEMA as unknown as SchemaNode;
  for (let i = 0; i < path.length; i++) {
    const child = path[i] === '' ? undefined : schemaChild(node, path[i]);
    if (!child) {
      const where = i === 0 ? 'a scenario' : joinPath(path.slice(0, i));
      const fields = fieldsOf(node);
      throw new UsageError(
        `${file}: --set ${assignment}: unknown field "${joinPath(path.slice(0, i + 1))}"` +
        (fields.length ? `; ${where} has ${fields.join(', ')}` : `; ${where} has no fields`),
      );
    }
    node = child;
  }
  let container: Json = json;
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    const last = i === path.length - 1;
    if (Array.isArray(container)) {
      const idx = Number(key);
      if (!/^\d+$/.test(key) || idx > container.length) {
        throw new UsageError(`${file}: --set ${assignment}: index ${key} is out of range: ${joinPath(path.slice(0, i))} has ${container.length} item(s) (use ${container.length} to append)`);
      }
      if (last) container[idx] = value;
      else {
        if (container[idx] === undefined || container[idx] === null) container[idx] = /^\d+$/.test(path[i + 1]) ? [] : {};
        container = container[idx];
      }
    } else if (container !== null && typeof container === 'object') {
      if (/^\d+$/.test(key)) throw new UsageError(`${file}: --set ${assignment}: ${joinPath(path.slice(0, i))} is not an array`);
      if (last) container[key] = value;
      else {
        if (container[key] === undefined || container[key] === null) container[key] = /^\d+$/.test(path[i + 1]) ? [] : {};
        container = container[key];
      }
    } else {
      throw new UsageError(`${file}: --set ${assignment}: ${joinPath(path.slice(0, i))} is ${show(container)}, which has no field "${key}"`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Semantic checks and resolution

function checkFlags(file: string, opts: LoadOptions): void {
  if (opts.scale !== undefined && !(Number.isFinite(opts.scale) && opts.scale > 0 && opts.scale <= 1)) {
    throw new UsageError(`${file}: --scale: expected a number in (0, 1], got ${show(opts.scale)}`);
  }
  if (opts.seed !== undefined && !(Number.isInteger(opts.seed) && opts.seed >= 0 && opts.seed <= 4294967295)) {
    throw new UsageError(`${file}: --seed: expected an integer >= 0, got ${show(opts.seed)}`);
  }
  if (opts.timeScale !== undefined && !(Number.isFinite(opts.timeScale) && opts.timeScale > 0)) {
    throw new UsageError(`${file}: --time-scale: expected a number > 0, got ${show(opts.timeScale)}`);
  }
}

/** Validates and resolves already-parsed scenario JSON; `file` names it in messages. */
export function parseScenario(json: unknown, file: string, opts: LoadOptions = {}): Scenario {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw fail(file, '', `expected a JSON object (a scenario), got ${show(json)}`);
  }
  checkFlags(file, opts);
  const raw = structuredClone(json) as JsonObject;
  for (const s of opts.set ?? []) applySet(raw, s, file);
  if (opts.scale !== undefined) raw.scale = opts.scale;
  if (opts.seed !== undefined) raw.seed = opts.seed;
  if (opts.timeScale !== undefined) {
    const ex = raw.executor ?? DEFAULTS.executor;
    if (ex !== 'election-day') throw new UsageError(`${file}: --time-scale: applies only to election-day scenarios, this one's executor is ${show(ex)}`);
    raw.timeScale = opts.timeScale;
  }
  const v = validate();
  if (!v(raw)) throw schemaError(v.errors ?? [], file, raw);
  return resolveScenario(raw as unknown as ScenarioJson, file);
}

/** The JSON shape after schema validation (see ./schema.ts). */
interface ScenarioJson {
  name?: string;
  description?: string;
  election: ElectionId;
  regions?: 'all' | string[];
  scale?: number;
  seed?: number;
  executor?: Scenario['executor'];
  clock?: 'local' | 'wib';
  window?: { start?: string; end?: string };
  checkpoints?: Array<{ at: string; target: number }>;
  curve?: Array<[string, number]>;
  timeScale?: number;
  officers?: {
    mode?: OfficerConfig['mode'];
    pagesPerForm?: number;
    photoBytes?: Distribution;
    misreadShare?: number;
    duplicateShare?: number;
    correctionShare?: number;
    attemptTimeout?: string;
    think?: string;
    retry?: { max?: number; base?: string; cap?: string; jitter?: 'full' | 'none'; honourRetryAfter?: boolean };
  };
  viewers?: { rate?: Array<[string, number]>; mix?: { progress?: number; hhcw?: number; wilayah?: number } };
  rate?: number;
  duration?: string;
  startRate?: number;
  stages?: Array<{ duration: string; target: number }>;
  request?: RequestKind;
  thresholds?: Partial<Record<'login' | 'upload' | 'read' | 'all', string[]>>;
  limits?: { maxInFlight?: number; connections?: number };
  interval?: string;
  drain?: string;
}

/** Each code must name a province or kab/kota that holds TPS in this election (at this scale). */
function checkRegionCodes(codes: readonly string[], election: ElectionId, scale: number, seed: number, file: string): void {
  const all = new Hierarchy({ election, scale, seed, regions: 'all' });
  codes.forEach((code, i) => {
    const province = all.region(code.slice(0, 2));
    if (!province) {
      const known = (all.children('') ?? []).map((p) => p.code);
      throw fail(file, `regions.${i}`, `province ${show(code.slice(0, 2))} is unknown or holds no ${election} TPS; expected one of ${known.join(', ')}`);
    }
    if (code.length === 4 && !all.region(code)) {
      const kabs = (all.children(code.slice(0, 2)) ?? []).map((k) => k.code);
      const range = kabs.length > 6 ? `${kabs[0]}..${kabs[kabs.length - 1]}` : kabs.join(', ');
      throw fail(file, `regions.${i}`,
        `kab/kota ${show(code)} is not in ${province.name} for ${election}${scale < 1 ? ` at scale ${scale}` : ''}; expected one of ${range}`);
    }
  });
}

const minutes = (t: string): number => parseLocalTime(t) as number; // shape checked by the schema

function resolveScenario(j: ScenarioJson, file: string): Scenario {
  const executor = j.executor ?? DEFAULTS.executor;
  for (const [other, fields] of Object.entries(EXECUTOR_FIELDS)) {
    if (other === executor) continue;
    for (const f of fields) {
      if (f in j && !EXECUTOR_FIELDS[executor].includes(f)) {
        throw fail(file, f, `applies only to executor "${other}"; this scenario's executor is "${executor}"`);
      }
    }
  }
  const ms = (path: string, s: string, positive = false): number => {
    const v = parseDuration(s);
    if (positive && v <= 0) throw fail(file, path, `expected a duration > 0 (${DURATION_EXPECTED}), got ${show(s)}`);
    return v;
  };

  const regions = j.regions ?? DEFAULTS.regions;
  const scale = j.scale ?? DEFAULTS.scale;
  const seed = j.seed ?? DEFAULTS.seed;
  if (regions !== 'all') checkRegionCodes(regions, j.election, scale, seed, file);
  try {
    // Throws on codes that the election's hierarchy does not hold (and checks scale again).
    void new Hierarchy({ election: j.election, scale, seed, regions }).totalTps;
  } catch (e) {
    throw fail(file, 'regions', `${(e as Error).message.replace(/^regions: /, '')}; expected codes of ${j.election} provinces or kab/kota`);
  }

  const o = j.officers ?? {};
  const r = o.retry ?? {};
  const d = DEFAULTS.officers;
  const photoBytes = o.photoBytes ?? d.photoBytes;
  if ('uniform' in photoBytes && photoBytes.uniform.min > photoBytes.uniform.max) {
    throw fail(file, 'officers.photoBytes.uniform', `min ${photoBytes.uniform.min} is above max ${photoBytes.uniform.max}; expected min <= max`);
  }
  const baseMs = ms('officers.retry.base', r.base ?? d.retry.base);
  const capMs = ms('officers.retry.cap', r.cap ?? d.retry.cap);
  if (capMs < baseMs) throw fail(file, 'officers.retry.cap', `${show(r.cap ?? d.retry.cap)} is shorter than base ${show(r.base ?? d.retry.base)}; expected cap >= base`);
  const officers: OfficerConfig = {
    mode: o.mode ?? d.mode,
    pagesPerForm: o.pagesPerForm ?? ELECTIONS[j.election].pagesPerForm,
    photoBytes,
    misreadShare: o.misreadShare ?? d.misreadShare,
    duplicateShare: o.duplicateShare ?? d.duplicateShare,
    correctionShare: o.correctionShare ?? d.correctionShare,
    attemptTimeoutMs: ms('officers.attemptTimeout', o.attemptTimeout ?? d.attemptTimeout, true),
    retry: {
      max: r.max ?? d.retry.max,
      baseMs,
      capMs,
      jitter: r.jitter ?? d.retry.jitter,
      honourRetryAfter: r.honourRetryAfter ?? d.retry.honourRetryAfter,
    },
    thinkMs: ms('officers.think', o.think ?? d.think),
  };

  const thresholds: Threshold[] = [];
  for (const [metric, exprs] of Object.entries(j.thresholds ?? {})) {
    for (const expr of exprs ?? []) thresholds.push({ metric, expr });
  }

  const base = {
    name: j.name ?? basename(file).replace(/\.json$/i, ''),
    description: j.description ?? '',
    election: j.election,
    regions,
    scale,
    seed,
    officers,
    limits: {
      maxInFlight: j.limits?.maxInFlight ?? DEFAULTS.limits.maxInFlight,
      connections: j.limits?.connections ?? DEFAULTS.limits.connections,
    },
    thresholds,
    intervalS: ms('interval', j.interval ?? DEFAULTS.interval, true) / 1000,
  };
  const drainS = ms('drain', j.drain ?? DEFAULTS.drain) / 1000;

  if (executor === 'constant-rate') {
    return {
      ...base, executor, rate: j.rate as number,
      durationMs: ms('duration', j.duration as string, true),
      request: j.request as RequestKind, drainS,
    };
  }
  if (executor === 'ramping-rate') {
    const stages = (j.stages ?? []).map((s, i) => ({ durationMs: ms(`stages.${i}.duration`, s.duration, true), target: s.target }));
    return { ...base, executor, startRate: j.startRate ?? DEFAULTS.startRate, stages, request: j.request as RequestKind, drainS };
  }

  // election-day
  const start = j.window?.start ?? DEFAULTS.window.start;
  const end = j.window?.end ?? DEFAULTS.window.end;
  const startMin = minutes(start);
  const endMin = minutes(end);
  if (endMin <= startMin) throw fail(file, 'window.end', `${show(end)} is not after window.start ${show(start)}; expected start < end`);
  const inWindow = (t: number) => t >= startMin && t <= endMin;

  let checkpoints: Checkpoint[];
  if (j.checkpoints) {
    checkpoints = j.checkpoints.map((c, i) => {
      const atMin = minutes(c.at);
      if (!inWindow(atMin)) throw fail(file, `checkpoints.${i}.at`, `${show(c.at)} is outside the window ${start}-${end}; expected a time from ${start} to ${end}`);
      if (i > 0) {
        const prev = j.checkpoints![i - 1];
        if (atMin <= minutes(prev.at)) throw fail(file, `checkpoints.${i}.at`, `${show(c.at)} is not after the previous checkpoint's ${show(prev.at)}; expected times in increasing order`);
        if (c.target < prev.target) throw fail(file, `checkpoints.${i}.target`, `${c.target} is below the previous target ${prev.target}; expected targets that never decrease`);
      }
      return { at: c.at, atMin, target: c.target };
    });
  } else {
    checkpoints = UJI_BEBAN_CHECKPOINTS.filter((c) => inWindow(minutes(c.at)))
      .map((c) => ({ at: c.at, atMin: minutes(c.at), target: c.target }));
    if (checkpoints.at(-1)?.atMin !== endMin) checkpoints.push({ at: end, atMin: endMin, target: 1 });
  }

  let curve: CurvePoint[];
  if (j.curve) {
    curve = j.curve.map(([t, value], i) => {
      const atMin = minutes(t);
      if (!inWindow(atMin)) throw fail(file, `curve.${i}.0`, `${show(t)} is outside the window ${start}-${end}; expected a time from ${start} to ${end}`);
      if (i > 0) {
        const [pt, pv] = j.curve![i - 1];
        if (atMin <= minutes(pt)) throw fail(file, `curve.${i}.0`, `${show(t)} is not after the previous point's ${show(pt)}; expected times in increasing order`);
        if (value < pv) throw fail(file, `curve.${i}.1`, `${value} is below the previous share ${pv}; expected a curve that never decreases`);
      }
      return { atMin, value };
    });
    if (curve[0].value !== 0) throw fail(file, 'curve.0.1', `expected the curve to start at share 0, got ${curve[0].value}`);
    const last = curve.length - 1;
    if (curve[last].value !== 1) throw fail(file, `curve.${last}.1`, `expected the curve to end at share 1 (every TPS uploads), got ${curve[last].value}`);
  } else {
    curve = [{ atMin: startMin, value: 0 }];
    for (const c of checkpoints) if (c.atMin > startMin && c.atMin < endMin) curve.push({ atMin: c.atMin, value: c.target });
    curve.push({ atMin: endMin, value: 1 });
  }

  const rate = (j.viewers?.rate ?? []).map(([t, value], i, all) => {
    const atMin = minutes(t);
    if (i > 0 && atMin <= minutes(all[i - 1][0])) {
      throw fail(file, `viewers.rate.${i}.0`, `${show(t)} is not after the previous point's ${show(all[i - 1][0])}; expected times in increasing order`);
    }
    return { atMin, value };
  });
  let mix = DEFAULTS.viewersMix;
  if (j.viewers?.mix) {
    const m = j.viewers.mix;
    mix = { progress: m.progress ?? 0, hhcw: m.hhcw ?? 0, wilayah: m.wilayah ?? 0 };
    const sum = mix.progress + mix.hhcw + mix.wilayah;
    if (Math.abs(sum - 1) > 1e-6) {
      throw fail(file, 'viewers.mix', `shares sum to ${Math.round(sum * 1e6) / 1e6}; expected progress + hhcw + wilayah = 1`);
    }
  }
  const viewers: ViewerConfig = { rate, mix };

  return {
    ...base,
    executor: 'election-day',
    clock: j.clock ?? DEFAULTS.clock,
    window: { start, end, startMin, endMin },
    checkpoints,
    curve,
    timeScale: j.timeScale ?? DEFAULTS.timeScale,
    viewers,
    drainS,
  };
}
