/**
 * The scenarios shipped in `scenarios/*.json`, for `ujibeban scenario list` and for resolving
 * short names ("smoke"). Each file is loaded and validated, so a listing also checks them.
 */
import { readdirSync } from 'node:fs';
import { Hierarchy } from '../domain/hierarchy.js';
import { packageFile } from '../domain/package-root.js';
import { realDuration } from './describe.js';
import { loadScenario } from './load.js';
import type { Scenario } from './types.js';

export interface CatalogEntry {
  name: string;
  /** Absolute path of the file. */
  file: string;
  description: string;
  executor: Scenario['executor'];
  election: Scenario['election'];
  /** TPS in the scenario's hierarchy (regions and scale). */
  tps: number;
  /** Real seconds of arrivals (before the drain) at the scenario's time scale. */
  runS: number;
  drainS: number;
}

/** Shipped scenario files in name order. */
export function listScenarios(): CatalogEntry[] {
  const dir = packageFile('scenarios');
  const names = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)).sort();
  return names.map((name) => {
    const { scenario: s, file } = loadScenario(name);
    const h = new Hierarchy(s);
    const { runS, drainS } = realDuration(s, h);
    return {
      name, file, description: s.description, executor: s.executor, election: s.election,
      tps: h.totalTps, runS, drainS,
    };
  });
}
