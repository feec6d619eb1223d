import { describe, expect, it } from 'vitest';
import { parseLatency, serverOptionsFromFlags, type ServerFlags } from '../../src/cli/commands/server.js';
import { UsageError } from '../../src/cli/errors.js';

const base: ServerFlags = { host: '127.0.0.1', port: '3000', db: ':memory:', groupCommit: true, logLevel: 'info' };

describe('ujibeban server flags', () => {
  it('reads the three latency shapes', () => {
    expect(parseLatency('--latency', 'fixed:50')).toEqual({ fixed: 50 });
    expect(parseLatency('--latency', 'uniform:10,200')).toEqual({ uniform: { min: 10, max: 200 } });
    expect(parseLatency('--latency', 'lognormal:80,0.5')).toEqual({ lognormal: { median: 80, sigma: 0.5 } });
    expect(() => parseLatency('--latency', 'uniform:200,10')).toThrow(UsageError);
    expect(() => parseLatency('--latency', 'gamma:1')).toThrow(/--latency: expected fixed:MS/);
  });

  it('builds the options of a Barito Utara mock with a login storm', () => {
    const { host, port, options } = serverOptionsFromFlags({
      ...base, election: 'pilkada-2024', regions: '6205', scale: '1', seed: '3',
      errorRate: '0.01', stallEvery: '30s', stallFor: '2s', maxInFlight: '100', loginLatency: 'fixed:500', loginMaxInFlight: '20',
    });
    expect([host, port]).toEqual(['127.0.0.1', 3000]);
    expect(options).toMatchObject({ election: 'pilkada-2024', regions: ['6205'], scale: 1, seed: 3 });
    expect(options.faults).toEqual({
      errorRate: 0.01, stall: { everyMs: 30_000, forMs: 2_000 }, maxInFlightUploads: 100,
      login: { latency: { fixed: 500 }, maxInFlight: 20 },
    });
  });

  it('takes election, regions, scale and seed from a shipped scenario', () => {
    const { options } = serverOptionsFromFlags({ ...base, scenario: 'barito-utara-pilkada-2024' });
    expect(options.election).toBe('pilkada-2024');
    expect(options.regions).toEqual(['6205']);
  });

  it('refuses bad flags with one line naming the flag', () => {
    const bad: Array<[Partial<ServerFlags>, RegExp]> = [
      [{}, /^--election: expected/],
      [{ election: 'pilpres' }, /^--election: expected pilkada-2024 or pemilu-2024, got "pilpres"/],
      [{ election: 'pilkada-2024', host: '0.0.0.0' }, /^--host: "0.0.0.0" is not loopback/],
      [{ election: 'pilkada-2024', port: 'x' }, /^--port: expected/],
      [{ election: 'pilkada-2024', scale: '2' }, /^--scale: expected a number in \(0, 1\]/],
      [{ election: 'pilkada-2024', errorRate: '1.5' }, /^--error-rate: expected a share/],
      [{ election: 'pilkada-2024', stallEvery: '1s', stallFor: '2s' }, /^--stall-for: expected less than/],
      [{ election: 'pilkada-2024', stallEvery: 'soon', stallFor: '2s' }, /^--stall-every: expected a duration/],
      [{ election: 'pilkada-2024', regions: '62,abc' }, /^--regions: expected/],
      [{ election: 'pilkada-2024', scenario: 'smoke' }, /^--election: not with --scenario/],
    ];
    for (const [flags, message] of bad) {
      expect(() => serverOptionsFromFlags({ ...base, ...flags } as ServerFlags)).toThrow(message);
    }
    expect(serverOptionsFromFlags({ ...base, election: 'pilkada-2024', host: '0.0.0.0', allowRemote: true }).host).toBe('0.0.0.0');
  });
});
