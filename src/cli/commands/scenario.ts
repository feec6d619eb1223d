/**
 * `ujibeban scenario validate|schema|list|describe`: check scenario files, print the JSON
 * Schema, list the shipped scenarios, and say in words what one will do.
 */
import type { Command } from 'commander';
import { listScenarios } from '../../scenario/catalog.js';
import { describeScenario, realDuration } from '../../scenario/describe.js';
import { formatDuration } from '../../scenario/duration.js';
import { loadScenario, type LoadOptions } from '../../scenario/load.js';
import { SCENARIO_SCHEMA } from '../../scenario/schema.js';
import { Hierarchy } from '../../domain/hierarchy.js';
import { UsageError } from '../errors.js';

/** Where the commands write; tests pass their own. */
export interface ScenarioIo {
  out(text: string): void;
  err(text: string): void;
}

const stdio: ScenarioIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

const realTime = (s: number): string => formatDuration(s >= 1 ? Math.round(s) * 1000 : Math.round(s * 1000));

/**
 * Validates each file (or shipped name); prints one OK or error line per file. Returns the
 * number of invalid files.
 */
export function validateFiles(files: string[], io: ScenarioIo = stdio): number {
  let bad = 0;
  for (const f of files) {
    try {
      const { scenario: s } = loadScenario(f);
      const h = new Hierarchy(s);
      const { runS, drainS } = realDuration(s, h);
      io.out(`OK    ${f}: ${s.name} (${s.executor}, ${s.election}, ${h.totalTps.toLocaleString('en-US')} TPS, ` +
        `runs ${realTime(runS)} + up to ${realTime(drainS)} drain)\n`);
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      bad += 1;
      io.out(`ERROR ${e.message}\n`);
    }
  }
  return bad;
}

/** The shipped scenarios as a text table. */
export function scenarioTable(): string {
  const rows = listScenarios().map((e) => [
    e.name, e.executor, e.election, e.tps.toLocaleString('en-US'), realTime(e.runS), e.description,
  ]);
  const head = ['NAME', 'EXECUTOR', 'ELECTION', 'TPS', 'RUNS', 'DESCRIPTION'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  const first = (d: string) => (d.length > 80 ? `${d.slice(0, 77)}...` : d);
  return [line(head), ...rows.map((r) => line([...r.slice(0, -1), first(r[r.length - 1])]))].join('\n') + '\n';
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function number(flag: string) {
  return (v: string): number => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${flag}: expected a number, got "${v}"`);
    return n;
  };
}

export function register(program: Command, io: ScenarioIo = stdio): void {
  const scenario = program.command('scenario').description('validate, describe and list scenarios; print their JSON Schema');

  scenario
    .command('validate')
    .description('check scenario files (paths or shipped names); exit 2 if any is invalid')
    .argument('<file...>', 'scenario files or shipped names')
    .action((files: string[]) => {
      const bad = validateFiles(files, io);
      if (bad > 0) throw new UsageError(`${bad} of ${files.length} scenario file${files.length === 1 ? '' : 's'} invalid`);
    });

  scenario
    .command('schema')
    .description('print the JSON Schema of scenario files')
    .action(() => io.out(`${JSON.stringify(SCENARIO_SCHEMA, null, 2)}\n`));

  scenario
    .command('list')
    .description('list the shipped scenarios')
    .action(() => io.out(scenarioTable()));

  scenario
    .command('describe')
    .description('say in plain words what a scenario will do')
    .argument('<file>', 'scenario file or shipped name')
    .option('--set <path=value>', 'override a field, e.g. checkpoints.0.target=0.9 (repeatable)', collect, [])
    .option('--scale <f>', 'share of the real TPS count, (0, 1]', number('--scale'))
    .option('--seed <n>', 'seed', number('--seed'))
    .option('--time-scale <x>', 'simulated seconds per real second', number('--time-scale'))
    .action((file: string, o: LoadOptions) => {
      const { scenario: s } = loadScenario(file, { set: o.set, scale: o.scale, seed: o.seed, timeScale: o.timeScale });
      io.out(`${describeScenario(s)}\n`);
    });
}
