import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/errors.js';
import { compareCommand } from '../../src/cli/commands/compare.js';
import { compareResults, renderCompareHtml, renderCompareMarkdown, renderCompareText } from '../../src/report/compare.js';
import type { ResultV1 } from '../../src/result/types.js';
import { syntheticRun } from './fixtures.js';

const baseline = syntheticRun().single;
const slower = syntheticRun({ latencyFactor: 1.6 }).single;
const noisy = syntheticRun({ latencyFactor: 1.03 }).single;
const flaky = syntheticRun({ uploadErrorRate: 0.12 }).single;
const late = syntheticRun({ curve: [[13 * 60, 0], [15 * 60, 0.3], [17 * 60, 0.7], [20 * 60, 0.93], [23 * 60, 1]] }).single;

const dir = mkdtempSync(join(tmpdir(), 'ujibeban-compare-'));
function save(name: string, r: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof r === 'string' ? r : JSON.stringify(r));
  return file;
}
const quiet = { out: () => {} };

describe('compareResults', () => {
  it('finds nothing when a run is compared with itself', () => {
    const c = compareResults(baseline, baseline);
    expect(c.regressed).toBe(false);
    expect(c.rows.every((r) => r.delta === 0)).toBe(true);
    expect(c.rows.map((r) => r.name)).toEqual(expect.arrayContaining([
      '17:00 achieved', '24:00 achieved', 'upload p50', 'upload p95', 'upload p99', 'login p99', 'all p99',
      'error rate (upload)', 'error rate (all)', 'achieved throughput',
    ]));
  });

  it('flags a 60% slower server on p99', () => {
    const c = compareResults(baseline, slower);
    expect(c.regressed).toBe(true);
    const upload = c.rows.find((r) => r.name === 'upload p99')!;
    expect(upload.regression).toBe(true);
    expect(upload.deltaPct!).toBeGreaterThan(40);
    expect(upload.reason).toMatch(/^p99 up \d+\.\d% \(\+[\d,.]+ ms\); limit 10% and 5 ms$/);
    expect(c.rows.find((r) => r.name === 'upload p50')!.regression).toBe(false); // only p99 gates
  });

  it('ignores a 3% wobble, and obeys a looser rule', () => {
    expect(compareResults(baseline, noisy).regressions.filter((r) => r.group === 'latency')).toEqual([]);
    expect(compareResults(baseline, slower, { maxP99IncreasePct: 100 }).regressed).toBe(false);
  });

  it('does not judge a p99 of a handful of requests', () => {
    const few = (p99: number): ResultV1 => ({ ...baseline, series: { read: { ...baseline.series.read!, latency_ms: { ...baseline.series.read!.latency_ms, count: 33, p99 } } } });
    const c = compareResults(few(60), few(120));
    expect(c.rows.find((r) => r.name === 'read p99')!.regression).toBe(false);
    expect(c.warnings).toContain('p99 not judged for read: fewer than 100 requests on one side');
    expect(compareResults(few(60), few(120), { minSamples: 10 }).rows.find((r) => r.name === 'read p99')!.regression).toBe(true);
  });

  it('needs the absolute change too: +50% on a 2 ms p99 is noise', () => {
    const tiny = (p99: number): ResultV1 => ({ ...baseline, series: { read: { ...baseline.series.read!, latency_ms: { ...baseline.series.read!.latency_ms, p99 } } } });
    expect(compareResults(tiny(2), tiny(3)).rows.find((r) => r.name === 'read p99')!.regression).toBe(false);
    expect(compareResults(tiny(20), tiny(30)).rows.find((r) => r.name === 'read p99')!.regression).toBe(true);
  });

  it('flags an error rate up by more than 0.5 pp', () => {
    const c = compareResults(baseline, flaky);
    const row = c.rows.find((r) => r.name === 'error rate (upload)')!;
    expect(row.regression).toBe(true);
    expect(row.reason).toMatch(/^error rate up \d+\.\d\d pp \(limit 0\.5 pp\)$/);
  });

  it('flags a checkpoint that passed and now fails', () => {
    const c = compareResults(baseline, late);
    const row = c.rows.find((r) => r.name === '17:00 achieved')!;
    expect(row.regression).toBe(true);
    expect(row.reason).toMatch(/passed in the baseline and fails now/);
  });

  it('flags throughput down by more than 10%', () => {
    const current = { ...baseline, summary: { ...baseline.summary, rate: { ...baseline.summary.rate, achieved_per_s: baseline.summary.rate.achieved_per_s * 0.8 } } };
    expect(compareResults(baseline, current).regressions.map((r) => r.name)).toEqual(['achieved throughput']);
  });

  it('warns when the runs are not comparable', () => {
    const other = { ...baseline, meta: { ...baseline.meta, scenario: 'other', scale: 0.5 } };
    expect(compareResults(baseline, other).warnings).toEqual(['different scenarios: barito-utara-pilkada-2024 vs other', 'different scales: 1 vs 0.5']);
  });

  it('renders text, Markdown and HTML', () => {
    const c = compareResults(baseline, slower);
    const text = renderCompareText(c);
    expect(text).toMatch(/^REGRESSION: \d+ of \d+ measures got worse beyond the rules\n/);
    expect(text).toMatch(/upload p99 +[\d,.]+ ms +[\d,.]+ ms +\+[\d,.]+ ms \(\+\d+\.\d%\) +REGRESSED/);
    const md = renderCompareMarkdown(c);
    expect(md).toMatch(/^## ❌ ujibeban compare: REGRESSION/);
    expect(md).toMatch(/\| upload p99 \| [\d,.]+ ms \| [\d,.]+ ms \| \+[\d,.]+ ms \(\+\d+\.\d%\) \| ❌ \|/);
    const html = renderCompareHtml(c, baseline, slower);
    expect(html).toContain('id="compare-verdict"');
    expect(html).toContain('chart-compare-completion');
    expect(html).toContain('chart-compare-p99');
    expect(renderCompareText(compareResults(baseline, baseline))).toMatch(/^NO REGRESSION\n/);
  });
});

describe('ujibeban compare (command)', () => {
  const base = save('baseline.json', baseline);
  it('exits 0 without a regression and 99 with one', async () => {
    expect(await compareCommand(base, save('same.json', baseline), {}, quiet)).toBe(0);
    expect(await compareCommand(base, save('slower.json', slower), {}, quiet)).toBe(99);
  });
  it('takes rules from flags and writes HTML and Markdown', async () => {
    const html = join(dir, 'out', 'compare.html');
    const md = join(dir, 'out', 'compare.md');
    const lines: string[] = [];
    const code = await compareCommand(base, join(dir, 'slower.json'), { maxP99Increase: '100', html, markdown: md }, { out: (t) => lines.push(t) });
    expect(code).toBe(0);
    expect(lines.join('')).toContain(`wrote ${html}`);
    expect(lines.join('')).toContain(`wrote ${md}`);
  });
  it('rejects a bad flag value', async () => {
    await expect(compareCommand(base, base, { maxP99Increase: 'ten' }, quiet)).rejects.toThrow(/--max-p99-increase: "ten" is not a number >= 0/);
  });
  it('rejects files that are not results, naming the file and the field', async () => {
    const notJson = save('broken.json', '{"schema": "ujibeban/result@1",');
    await expect(compareCommand(base, notJson, {}, quiet)).rejects.toThrow(UsageError);
    await expect(compareCommand(base, notJson, {}, quiet)).rejects.toThrow(`${notJson}: not valid JSON`);
    const k6 = save('k6.json', { metrics: {} });
    await expect(compareCommand(k6, base, {}, quiet)).rejects.toThrow(`${k6}: field "schema" is undefined, expected "ujibeban/result@1"`);
    const noTotal = save('no-total.json', { ...baseline, summary: { ...baseline.summary, requests: { ...baseline.summary.requests, total: 'many' } } });
    await expect(compareCommand(base, noTotal, {}, quiet)).rejects.toThrow(`${noTotal}: field "summary.requests.total" is string, expected number`);
    const badRow = save('bad-row.json', { ...baseline, timeline: baseline.timeline.map((t, i) => (i === baseline.timeline.length - 1 ? { ...t, t_s: null } : t)) });
    await expect(compareCommand(base, badRow, {}, quiet)).rejects.toThrow(new RegExp(`field "timeline\\[${baseline.timeline.length - 1}\\]\\.t_s" is null, expected number`));
    await expect(compareCommand(base, join(dir, 'missing.json'), {}, quiet)).rejects.toThrow(/missing\.json: cannot read result file \(ENOENT\)/);
  });
});
