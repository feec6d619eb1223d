/**
 * The long fuzz run of the mock server's login and upload routes (the same cases as
 * tests/reliability/server-fuzz.test.ts, many more of them):
 *
 *   node --import tsx scripts/fuzz-server.ts --cases 10000 [--seed N] [--timeout-ms 10000]
 *
 * A real server on 127.0.0.1 and a real SQLite file in a temp dir; cases are sent one at a
 * time as raw HTTP, each bounded by a timeout, with the row counts read before and after.
 * Prints the cases by family and by outcome (status and code) and every problem (a 5xx, a
 * hang, a connection closed without an answer, a refusal that stored something, a wrong
 * success) with the request bytes written to a file for replay. Exit 1 when any case failed.
 */
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DbReader } from '../tests/reliability/server-helpers.js';
import { fuzzCase, judge, type FuzzTarget } from '../tests/reliability/server-fuzz-cases.js';
import { WORLD, hierarchy, removeDir, startServer, tpsIn } from '../tests/server/helpers.js';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '20241127' },
    'timeout-ms': { type: 'string', default: '10000' },
    keep: { type: 'boolean', default: false },
  },
});
const cases = Number(values.cases);
const seed = Number(values.seed);
const timeoutMs = Number(values['timeout-ms']);
if (!Number.isInteger(cases) || cases < 1 || !Number.isInteger(seed) || !(timeoutMs > 0)) {
  process.stderr.write('usage: node --import tsx scripts/fuzz-server.ts --cases N [--seed N] [--timeout-ms MS] [--keep]\n');
  process.exit(2);
}

const tpsList = [tpsIn('6205', 5), tpsIn('6205', 6), tpsIn('3101', 1), tpsIn('3401', 1)];
const target: FuzzTarget = {
  targets: tpsList.map((t) => ({ tps: t, contests: hierarchy.contestsAt(t) })),
  tokenSecret: 'test-token-secret', seed: WORLD.seed,
};

let crashed: unknown = null;
process.on('uncaughtException', (e) => { crashed = e; });

const s = await startServer({ timeouts: { requestMs: 5000, headersMs: 3000, bodyIdleMs: 2000 } });
const port = Number(new URL(s.base).port);
const db = new DbReader(s.db);
const byKey = new Map<string, number>();
const byFamily = new Map<string, Map<string, number>>();
const problems: Array<{ i: number; label: string; problem: string; file: string }> = [];
const arb = fuzzCase(target);
const t0 = Date.now();
let maxMs = 0;
const BATCH = 500;
let done = 0;
for (let b = 0; done < cases; b++) {
  const batch = fc.sample(arb, { seed: seed + b, numRuns: Math.min(BATCH, cases - done) });
  for (const c of batch) {
    const o = await judge(port, db, c, timeoutMs);
    maxMs = Math.max(maxMs, o.ms);
    byKey.set(o.key, (byKey.get(o.key) ?? 0) + 1);
    const fam = byFamily.get(c.family) ?? new Map<string, number>();
    byFamily.set(c.family, fam);
    fam.set(o.key, (fam.get(o.key) ?? 0) + 1);
    if (o.problem || crashed) {
      const file = join(s.dir, `case-${done}.http`);
      writeFileSync(file, c.request);
      problems.push({ i: done, label: c.label.slice(0, 200), problem: o.problem ?? `uncaught exception: ${String(crashed)}`, file });
      crashed = null;
    }
    done++;
  }
  process.stderr.write(`\r${done}/${cases} cases, ${problems.length} problems`);
}
process.stderr.write('\n');
const healthy = (await fetch(`${s.base}/healthz`)).status === 200;
const sec = (Date.now() - t0) / 1000;

const lines: string[] = [];
lines.push(`fuzz-server: ${done} cases, seed ${seed}, ${sec.toFixed(1)} s (${(done / sec).toFixed(0)}/s), slowest answer ${maxMs} ms, server healthy after: ${healthy}`);
lines.push(`stored rows at the end: ${JSON.stringify(db.counts())}`);
lines.push('', 'by outcome:');
for (const [k, n] of [...byKey].sort((a, b) => b[1] - a[1])) lines.push(`  ${k.padEnd(34)} ${n}`);
lines.push('', 'by family:');
for (const [f, m] of byFamily) {
  const total = [...m.values()].reduce((a, b) => a + b, 0);
  lines.push(`  ${f.padEnd(8)} ${String(total).padStart(6)}  ${[...m].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')}`);
}
lines.push('', `problems: ${problems.length}`);
for (const p of problems.slice(0, 30)) lines.push(`  #${p.i} ${p.label}: ${p.problem} (request: ${p.file})`);
process.stdout.write(lines.join('\n') + '\n');

db.close();
await s.close();
if (problems.length === 0 && !values.keep) removeDir(s.dir);
process.exit(problems.length > 0 || !healthy ? 1 : 0);
