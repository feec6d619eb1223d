import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/errors.js';
import { register, validateFiles } from '../../src/cli/commands/scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'ujibeban-scenario-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `ujibeban <args>` with the scenario command only; returns what it printed and threw. */
async function run(...args: string[]): Promise<{ out: string; err: string; error?: unknown }> {
  let out = '';
  let err = '';
  const program = new Command('ujibeban').exitOverride().configureOutput({ writeOut: (s) => { out += s; }, writeErr: (s) => { err += s; } });
  register(program, { out: (s) => { out += s; }, err: (s) => { err += s; } });
  for (const c of program.commands) c.exitOverride();
  try {
    await program.parseAsync(args, { from: 'user' });
    return { out, err };
  } catch (error) {
    return { out, err, error };
  }
}

describe('ujibeban scenario', () => {
  it('validate prints an OK line per good file and exits 0', async () => {
    const r = await run('scenario', 'validate', 'smoke', 'scenarios/barito-utara-pilkada-2024.json');
    expect(r.error).toBeUndefined();
    expect(r.out).toMatch(/^OK {4}smoke: smoke \(election-day, pilkada-2024, 27 TPS, runs 17s \+ up to 5s drain\)\n/);
    expect(r.out).toContain('OK    scenarios/barito-utara-pilkada-2024.json: barito-utara-pilkada-2024 (election-day, pilkada-2024, 270 TPS');
  });

  it('validate prints an error line for a bad file and exits 2', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ election: 'pilkada-2024', regions: ['6205'], window: { start: '25:00' } }));
    const r = await run('scenario', 'validate', 'smoke', bad);
    expect(r.error).toBeInstanceOf(UsageError);
    expect((r.error as UsageError).exitCode).toBe(2);
    expect((r.error as Error).message).toBe('1 of 2 scenario files invalid');
    expect(r.out).toContain(`ERROR ${bad}: window.start: expected a local time "HH:MM"`);
    expect(r.out.split('\n').filter(Boolean)).toHaveLength(2);
  });

  it('validateFiles counts the invalid files', () => {
    const lines: string[] = [];
    const io = { out: (s: string) => { lines.push(s); }, err: (s: string) => { lines.push(s); } };
    expect(validateFiles(['smoke', 'no-such-scenario', 'constant-rate'], io)).toBe(1);
    expect(lines.map((l) => l.slice(0, 5))).toEqual(['OK   ', 'ERROR', 'OK   ']);
  });

  it('schema prints the JSON Schema', async () => {
    const r = await run('scenario', 'schema');
    const schema = JSON.parse(r.out);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(Object.keys(schema.properties)).toContain('checkpoints');
  });

  it('list prints a table of the shipped scenarios', async () => {
    const r = await run('scenario', 'list');
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+EXECUTOR\s+ELECTION\s+TPS\s+RUNS\s+DESCRIPTION$/);
    expect(lines).toHaveLength(7);
    expect(r.out).toMatch(/pemilu-2024-nasional\s+election-day\s+pemilu-2024\s+823,236\s+13m/);
    expect(r.out).toMatch(/constant-rate\s+constant-rate\s+pilkada-2024\s+4,355\s+30s/);
  });

  it('describe says what a scenario will do, with overrides', async () => {
    const r = await run('scenario', 'describe', 'barito-utara-pilkada-2024', '--set', 'checkpoints.0.target=0.9', '--time-scale', '600');
    expect(r.error).toBeUndefined();
    expect(r.out).toContain('TPS        270 at scale 1');
    expect(r.out).toContain('90% by 17:00, 100% by 24:00');
    expect(r.out).toContain('11 h of election day (13:00-24:00 WIB) in 1m6s of real time (time scale 600x)');
  });

  it('describe rejects a bad flag value with exit 2', async () => {
    const r = await run('scenario', 'describe', 'smoke', '--scale', 'big');
    expect((r.error as { exitCode?: number }).exitCode).toBe(2);
  });
});
