import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/errors.js';
import { loadScenario, parseScenario, type LoadOptions } from '../../src/scenario/load.js';
import type { ElectionDayScenario, Scenario } from '../../src/scenario/types.js';

const dir = mkdtempSync(join(tmpdir(), 'ujibeban-scenario-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Barito Utara, pilkada 2024: the smallest real scenario. */
const BARITO = { election: 'pilkada-2024', regions: ['6205'] };

function dayOf(json: unknown, opts?: LoadOptions): ElectionDayScenario {
  const s = parseScenario(json, 'scenarios/x.json', opts);
  if (s.executor !== 'election-day') throw new Error('not election-day');
  return s;
}

/** The UsageError message of parsing `json` (fails the test when it parses). */
function errorOf(json: unknown, opts?: LoadOptions): string {
  try {
    parseScenario(json, 'scenarios/x.json', opts);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    expect((e as UsageError).exitCode).toBe(2);
    const msg = (e as Error).message;
    expect(msg).not.toContain('\n');
    expect(msg).not.toMatch(/\bat .*\.ts:\d+/);
    return msg;
  }
  throw new Error('expected a UsageError');
}

describe('defaults', () => {
  it('fills every default for a minimal Barito Utara file', () => {
    const s = dayOf(BARITO);
    expect(s).toMatchObject({
      name: 'x', description: '', election: 'pilkada-2024', regions: ['6205'], scale: 1, seed: 1,
      executor: 'election-day', clock: 'local', timeScale: 60, drainS: 30, intervalS: 1,
      window: { start: '13:00', end: '24:00', startMin: 780, endMin: 1440 },
      limits: { maxInFlight: 2000, connections: 128 },
      thresholds: [],
      viewers: { rate: [], mix: { progress: 0.6, hhcw: 0.3, wilayah: 0.1 } },
    });
    expect(s.officers).toEqual({
      mode: 'full', pagesPerForm: 1, photoBytes: { lognormal: { median: 300000, sigma: 0.5 } },
      misreadShare: 0.01, duplicateShare: 0.02, correctionShare: 0.005, attemptTimeoutMs: 30_000, thinkMs: 0,
      retry: { max: 8, baseMs: 2000, capMs: 300_000, jitter: 'full', honourRetryAfter: true },
    });
  });

  it('targets 80% by 17:00 and 100% by 24:00, and the curve runs through them', () => {
    const s = dayOf(BARITO);
    expect(s.checkpoints).toEqual([{ at: '17:00', atMin: 1020, target: 0.8 }, { at: '24:00', atMin: 1440, target: 1 }]);
    expect(s.curve).toEqual([{ atMin: 780, value: 0 }, { atMin: 1020, value: 0.8 }, { atMin: 1440, value: 1 }]);
  });

  it('keeps only the default checkpoints inside a shorter window and ends at 100%', () => {
    expect(dayOf({ ...BARITO, window: { end: '20:00' } }).checkpoints.map((c) => [c.at, c.target]))
      .toEqual([['17:00', 0.8], ['20:00', 1]]);
    expect(dayOf({ ...BARITO, window: { end: '14:00' } }).checkpoints.map((c) => [c.at, c.target]))
      .toEqual([['14:00', 1]]);
  });

  it('uses three photo pages for pemilu-2024 and converts durations and times', () => {
    const s = dayOf({
      election: 'pemilu-2024', regions: ['62'], interval: '500ms', drain: '1m',
      officers: { think: '2m', attemptTimeout: '1h30m' },
      viewers: { rate: [['13:00', 0], ['19:00', 50]], mix: { progress: 1 } },
      curve: [['13:00', 0], ['18:00', 0.9], ['23:00', 1]],
    });
    expect(s.officers.pagesPerForm).toBe(3);
    expect(s.officers.thinkMs).toBe(120_000);
    expect(s.officers.attemptTimeoutMs).toBe(5_400_000);
    expect([s.intervalS, s.drainS]).toEqual([0.5, 60]);
    expect(s.viewers.rate).toEqual([{ atMin: 780, value: 0 }, { atMin: 1140, value: 50 }]);
    expect(s.viewers.mix).toEqual({ progress: 1, hhcw: 0, wilayah: 0 });
    expect(s.curve.map((p) => p.value)).toEqual([0, 0.9, 1]);
  });

  it('resolves a ramping-rate executor', () => {
    const s: Scenario = parseScenario({
      ...BARITO, executor: 'ramping-rate', request: 'read:hhcw',
      stages: [{ duration: '10s', target: 50 }, { duration: '1m', target: 100 }],
    }, 'r.json');
    expect(s).toMatchObject({ executor: 'ramping-rate', startRate: 0, request: 'read:hhcw', stages: [{ durationMs: 10_000, target: 50 }, { durationMs: 60_000, target: 100 }] });
  });
});

describe('--set and flags', () => {
  it('overrides nested fields, array items and JSON values', () => {
    const s = dayOf({ ...BARITO, checkpoints: [{ at: '17:00', target: 0.8 }, { at: '24:00', target: 1 }] }, {
      set: ['checkpoints.0.target=0.9', 'officers.retry.base=500ms', 'officers.retry.max=3', 'regions=["62"]',
        'viewers.rate=[["13:00",5]]', 'officers.photoBytes={"fixed":30000}', 'name=barito', 'clock=wib'],
    });
    expect(s.checkpoints[0].target).toBe(0.9);
    expect(s.officers.retry).toMatchObject({ baseMs: 500, max: 3 });
    expect(s.regions).toEqual(['62']);
    expect(s.viewers.rate).toEqual([{ atMin: 780, value: 5 }]);
    expect(s.officers.photoBytes).toEqual({ fixed: 30000 });
    expect(s.name).toBe('barito');
    expect(s.clock).toBe('wib');
  });

  it('creates missing objects and appends to arrays', () => {
    const s = dayOf({ ...BARITO, checkpoints: [{ at: '17:00', target: 0.8 }] }, {
      set: ['window.end=22:00', 'checkpoints.1.at=22:00', 'checkpoints.1.target=1', 'thresholds.upload.0=p(99)<5000'],
    });
    expect(s.window.end).toBe('22:00');
    expect(s.checkpoints.map((c) => c.at)).toEqual(['17:00', '22:00']);
    expect(s.thresholds).toEqual([{ metric: 'upload', expr: 'p(99)<5000' }]);
  });

  it('names an unknown path and what the object has', () => {
    expect(errorOf(BARITO, { set: ['officers.retry.bse=1s'] }))
      .toBe('scenarios/x.json: --set officers.retry.bse=1s: unknown field "officers.retry.bse"; officers.retry has max, base, cap, jitter, honourRetryAfter');
    expect(errorOf(BARITO, { set: ['timescale=10'] })).toMatch(/unknown field "timescale"; a scenario has .*timeScale/);
    expect(errorOf(BARITO, { set: ['noequals'] })).toMatch(/--set "noequals": expected path=value/);
    expect(errorOf({ ...BARITO, checkpoints: [{ at: '17:00', target: 0.8 }] }, { set: ['checkpoints.5.target=1'] }))
      .toMatch(/index 5 is out of range: checkpoints has 1 item/);
  });

  it('validates what --set wrote like the file itself', () => {
    expect(errorOf(BARITO, { set: ['officers.retry.base=fast'] }))
      .toBe('scenarios/x.json: officers.retry.base: expected a duration like "250ms", "2s", "5m", "1h" or "1h30m", got "fast"');
  });

  it('applies --scale, --seed and --time-scale and checks them', () => {
    const s = dayOf(BARITO, { scale: 0.1, seed: 7, timeScale: 600 });
    expect([s.scale, s.seed, s.timeScale]).toEqual([0.1, 7, 600]);
    expect(errorOf(BARITO, { scale: 2 })).toBe('scenarios/x.json: --scale: expected a number in (0, 1], got 2');
    expect(errorOf(BARITO, { seed: -1 })).toMatch(/--seed: expected an integer >= 0, got -1/);
    expect(errorOf({ ...BARITO, executor: 'constant-rate', rate: 1, duration: '1s', request: 'login' }, { timeScale: 10 }))
      .toMatch(/--time-scale: applies only to election-day scenarios/);
  });
});

describe('bad scenario files: one line naming the file, the field and the expectation', () => {
  it.each<[string, unknown, string]>([
    ['a wrong type', { ...BARITO, scale: '0.5' }, 'scenarios/x.json: scale: expected a number in (0, 1], got "0.5"'],
    ['an unknown election', { election: 'pilkada-2029' }, 'scenarios/x.json: election: expected one of "pilkada-2024", "pemilu-2024", got "pilkada-2029"'],
    ['a bad time "25:00"', { ...BARITO, window: { start: '25:00' } }, 'scenarios/x.json: window.start: expected a local time "HH:MM" from "00:00" to "24:00", e.g. "17:00", got "25:00"'],
    ['a checkpoint outside the window', { ...BARITO, checkpoints: [{ at: '12:00', target: 0.5 }] },
      'scenarios/x.json: checkpoints.0.at: "12:00" is outside the window 13:00-24:00; expected a time from 13:00 to 24:00'],
    ['decreasing targets', { ...BARITO, checkpoints: [{ at: '17:00', target: 0.8 }, { at: '19:00', target: 0.7 }] },
      'scenarios/x.json: checkpoints.1.target: 0.7 is below the previous target 0.8; expected targets that never decrease'],
    ['checkpoints out of order', { ...BARITO, checkpoints: [{ at: '19:00', target: 0.8 }, { at: '17:00', target: 0.9 }] },
      'scenarios/x.json: checkpoints.1.at: "17:00" is not after the previous checkpoint\'s "19:00"; expected times in increasing order'],
    ['a target above 1', { ...BARITO, checkpoints: [{ at: '17:00', target: 1.2 }] }, 'scenarios/x.json: checkpoints.0.target: expected a number in (0, 1], got 1.2'],
    ['a bad duration', { ...BARITO, officers: { retry: { base: 'fast' } } },
      'scenarios/x.json: officers.retry.base: expected a duration like "250ms", "2s", "5m", "1h" or "1h30m", got "fast"'],
    ['an unknown kab/kota', { election: 'pilkada-2024', regions: ['6299'] }, 'scenarios/x.json: regions.0: kab/kota "6299" is not in Kalimantan Tengah for pilkada-2024; expected one of 6201..6214'],
    ['an unknown province', { election: 'pilkada-2024', regions: ['62', '00'] }, 'scenarios/x.json: regions.1: province "00" is unknown or holds no pilkada-2024 TPS; expected one of 11, 12,'],
    ['a malformed region code', { election: 'pilkada-2024', regions: ['620'] }, 'scenarios/x.json: regions.0: expected a 2-digit province or 4-digit kab/kota KPU code as a string'],
    ['regions neither "all" nor a list', { election: 'pilkada-2024', regions: 'al' }, 'scenarios/x.json: regions: expected "all" or an array of'],
    ['a viewer mix not summing to 1', { ...BARITO, viewers: { mix: { progress: 0.5, hhcw: 0.3 } } },
      'scenarios/x.json: viewers.mix: shares sum to 0.8; expected progress + hhcw + wilayah = 1'],
    ['an unknown property', { ...BARITO, officers: { photobytes: { fixed: 1 } } },
      'scenarios/x.json: officers.photobytes: unknown property (did you mean "photoBytes"?); expected one of mode, pagesPerForm, photoBytes,'],
    ['a missing election', { regions: 'all' }, 'scenarios/x.json: election: required field missing: Which election'],
    ['a window that ends before it starts', { ...BARITO, window: { start: '18:00', end: '17:00' } },
      'scenarios/x.json: window.end: "17:00" is not after window.start "18:00"; expected start < end'],
    ['a curve that decreases', { ...BARITO, curve: [['13:00', 0], ['17:00', 0.8], ['18:00', 0.7], ['24:00', 1]] },
      'scenarios/x.json: curve.2.1: 0.7 is below the previous share 0.8; expected a curve that never decreases'],
    ['a curve that never reaches 1', { ...BARITO, curve: [['13:00', 0], ['24:00', 0.9]] },
      'scenarios/x.json: curve.1.1: expected the curve to end at share 1 (every TPS uploads), got 0.9'],
    ['a curve point of the wrong shape', { ...BARITO, curve: [['13:00', 0], ['24:00']] },
      'scenarios/x.json: curve.1: expected a point ["HH:MM", share], e.g. ["17:00", 0.8], got ["24:00"]'],
    ['a bad threshold', { ...BARITO, thresholds: { upload: ['p99 < 5s'] } }, 'scenarios/x.json: thresholds.upload.0: expected a k6-style threshold'],
    ['an unknown threshold series', { ...BARITO, thresholds: { uploads: ['p(99)<1'] } },
      'scenarios/x.json: thresholds.uploads: unknown property (did you mean "upload"?); expected one of login, upload, read, all'],
    ['a bad photo distribution', { ...BARITO, officers: { photoBytes: { fixed: 1, uniform: { min: 1, max: 2 } } } },
      'scenarios/x.json: officers.photoBytes: expected a distribution:'],
    ['a constant-rate without a rate', { ...BARITO, executor: 'constant-rate', duration: '10s', request: 'login' },
      'scenarios/x.json: rate: required field missing (required with executor "constant-rate")'],
    ['an election-day field on a constant-rate', { ...BARITO, executor: 'constant-rate', rate: 1, duration: '10s', request: 'login', timeScale: 5 },
      'scenarios/x.json: timeScale: applies only to executor "election-day"; this scenario\'s executor is "constant-rate"'],
    ['an unknown request kind', { ...BARITO, executor: 'constant-rate', rate: 1, duration: '10s', request: 'read:all' },
      'scenarios/x.json: request: expected one of "login", "upload", "read:progress", "read:hhcw", "read:wilayah", got "read:all"'],
    ['a zero duration', { ...BARITO, executor: 'constant-rate', rate: 1, duration: '0s', request: 'login' },
      'scenarios/x.json: duration: expected a duration > 0'],
    ['a retry cap below its base', { ...BARITO, officers: { retry: { base: '10s', cap: '1s' } } },
      'scenarios/x.json: officers.retry.cap: "1s" is shorter than base "10s"; expected cap >= base'],
    ['not an object', [1, 2], 'scenarios/x.json: expected a JSON object (a scenario), got [1,2]'],
  ])('%s', (_case, json, expected) => {
    expect(errorOf(json)).toContain(expected);
  });
});

describe('files', () => {
  function write(name: string, text: string): string {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  }

  it('reports invalid JSON with its line and column', () => {
    const p = write('broken.json', '{\n  "election": "pilkada-2024",\n  "scale": 0.5,\n}\n');
    expect(() => loadScenario(p)).toThrow(UsageError);
    expect(() => loadScenario(p)).toThrow(`${p}: invalid JSON at line 4, column 1: Expected double-quoted property name`);
  });

  it('reports an empty file', () => {
    const p = write('empty.json', '');
    expect(() => loadScenario(p)).toThrow(`${p}: invalid JSON at the end of the file: Unexpected end of JSON input`);
  });

  it('names the file in schema errors and takes the name from the file', () => {
    const p = write('bad-base.json', JSON.stringify({ ...BARITO, officers: { retry: { base: 'fast' } } }));
    expect(() => loadScenario(p)).toThrow(`${p}: officers.retry.base: expected a duration`);
    const ok = write('barito-kecil.json', JSON.stringify({ ...BARITO, scale: 0.1 }));
    expect(loadScenario(ok).scenario.name).toBe('barito-kecil');
  });

  it('says when neither a file nor a shipped name exists', () => {
    expect(() => loadScenario('no-such-scenario')).toThrow('no-such-scenario: no such scenario file, and not a shipped scenario (try `ujibeban scenario list`)');
    expect(() => loadScenario(join(dir, 'missing.json'))).toThrow(/missing\.json: no such scenario file$/);
  });
});
