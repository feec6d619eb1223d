import { describe, expect, it } from 'vitest';
import { SCENARIO_SCHEMA } from '../../src/scenario/schema.js';

type Node = Record<string, unknown>;

/** Every property of every object in the schema, with its path. */
function properties(node: unknown, path: string, out: Array<[string, Node]>): void {
  if (Array.isArray(node)) { node.forEach((n, i) => properties(n, `${path}[${i}]`, out)); return; }
  if (!node || typeof node !== 'object') return;
  const n = node as Node;
  if (n.properties && typeof n.properties === 'object') {
    for (const [k, v] of Object.entries(n.properties as Node)) out.push([`${path}.${k}`, v as Node]);
  }
  for (const [k, v] of Object.entries(n)) if (k !== 'enum' && k !== 'const') properties(v, `${path}/${k}`, out);
}

describe('the published scenario JSON Schema', () => {
  it('describes every property', () => {
    const props: Array<[string, Node]> = [];
    properties(SCENARIO_SCHEMA, '#', props);
    expect(props.length).toBeGreaterThan(50);
    const undocumented = props.filter(([, v]) => typeof v.description !== 'string' || v.description.length < 5).map(([p]) => p);
    expect(undocumented).toEqual([]);
  });

  it('covers the fields of the design sketch', () => {
    expect(Object.keys(SCENARIO_SCHEMA.properties)).toEqual(expect.arrayContaining([
      'name', 'description', 'election', 'regions', 'scale', 'seed', 'clock', 'window', 'checkpoints', 'curve',
      'timeScale', 'officers', 'viewers', 'executor', 'rate', 'duration', 'startRate', 'stages', 'request',
      'thresholds', 'limits', 'interval', 'drain',
    ]));
  });
});
