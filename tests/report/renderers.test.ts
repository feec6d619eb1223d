import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html.js';
import { renderJunit, xmlEscape } from '../../src/report/junit.js';
import { renderSummaryMarkdown } from '../../src/report/summary.js';
import { renderTextSummary } from '../../src/report/text.js';
import { reportCharts, MAX_POINTS } from '../../src/report/charts.js';
import { lttbIndexes } from '../../src/report/lttb.js';
import type { ResultV1 } from '../../src/result/types.js';
import { nationalResult, syntheticRun } from './fixtures.js';

const passing = syntheticRun().single;
const failing = syntheticRun({
  curve: [[13 * 60, 0], [15 * 60, 0.3], [17 * 60, 0.7], [20 * 60, 0.93], [23 * 60, 1]],
  latencyFactor: 14,
}).single;

describe('Barito Utara fixture', () => {
  it('reaches 80% of its 270 TPS by 17:00 in the passing run', () => {
    expect(passing.checkpoints[0]).toMatchObject({ at: '17:00', total: 270, pass: true });
    expect(passing.checkpoints[0].achieved).toBeGreaterThanOrEqual(0.8);
    expect(passing.pass).toBe(true);
    expect(passing.timeline.length).toBeGreaterThan(200);
  });
  it('misses 17:00 and the upload p99 in the failing run', () => {
    expect(failing.pass).toBe(false);
    expect(failing.failures[0]).toMatch(/^checkpoint 17:00/);
    expect(failing.failures.some((f) => f.startsWith('threshold upload p(99)<5000'))).toBe(true);
  });
});

describe('renderTextSummary', () => {
  it('leads with the verdict and the reasons', () => {
    const text = renderTextSummary(failing);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^FAIL  barito-utara-pilkada-2024 · election-day · pilkada-2024 · scale 1 · seed 1 · 60x time$/);
    expect(lines[1]).toMatch(/^ {2}x checkpoint 17:00: \d+\.\d% of TPS completed \(\d+\/270\), target 80\.0%$/);
    expect(text).toMatch(/17:00 +target 80\.0% +achieved \d+\.\d% +\d+\/270 +FAIL/);
    expect(text).toMatch(/upload p\(99\)<5000 +[\d,]+ ms +FAIL/);
    expect(text).toMatch(/\n {2}upload +\d+ +\d+ +[\d.,]+ ms +[\d.,]+ ms +[\d.,]+ ms/);
    expect(text).toContain(`requests  ${failing.summary.requests.total.toLocaleString('en-US')} sent`);
    expect(text).toContain('dropped');
  });
  it('says PASS and (partial) when it applies', () => {
    expect(renderTextSummary(passing)).toMatch(/^PASS  /);
    expect(renderTextSummary({ ...passing, partial: true })).toMatch(/^PASS \(partial\)/);
  });
});

describe('renderSummaryMarkdown', () => {
  it('has the verdict, checkpoint and threshold tables, latencies per series and request totals', () => {
    const md = renderSummaryMarkdown(failing);
    expect(md).toMatch(/^## ❌ ujibeban: FAIL\n/);
    expect(md).toContain('**Why it failed**');
    expect(md).toMatch(/\| 17:00 \| 80\.0% \| \d+\.\d% \| \d+ \/ 270 \| ❌ fail \|/);
    expect(md).toMatch(/\| 24:00 \| 100\.0% \|/);
    expect(md).toContain('| upload | `p(99)<5000` |');
    expect(md).toMatch(/\| login \| [\d,]+ \| [\d.,]+ ms \|/);
    expect(md).toMatch(/\| \*\*all\*\* \|/);
    expect(md).toContain('### Requests');
  });
  it('escapes Markdown in names', () => {
    const r: ResultV1 = { ...passing, meta: { ...passing.meta, scenario: 'a|b_<c>' } };
    expect(renderSummaryMarkdown(r)).toContain('a\\|b\\_\\<c\\>');
  });
});

describe('renderJunit', () => {
  it('has one testcase per checkpoint and threshold, failures with messages', () => {
    const xml = renderJunit(failing);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    const cases = xml.match(/<testcase /g) ?? [];
    expect(cases).toHaveLength(failing.checkpoints.length + failing.thresholds.length);
    const failures = failing.checkpoints.filter((c) => !c.pass).length + failing.thresholds.filter((t) => !t.pass).length;
    expect(xml).toContain(`<testsuite name="ujibeban barito-utara-pilkada-2024" tests="${cases.length}" failures="${failures}"`);
    expect(xml).toMatch(/<testcase classname="ujibeban.checkpoints" name="17:00 at least 80.0% of TPS completed" time="0">\n {6}<failure type="checkpoint" message="checkpoint 17:00: /);
    // The "<" of the expression is escaped in attributes.
    expect(xml).toContain('name="upload p(99)&lt;5000"');
    expect(xml).not.toMatch(/name="[^"]*<[^"]*"/);
  });
  it('escapes XML special characters and drops control characters', () => {
    expect(xmlEscape(`a<b>&"c"'\u0001`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&apos;');
    const r: ResultV1 = { ...passing, meta: { ...passing.meta, scenario: 'x & <y>' } };
    expect(renderJunit(r)).toContain('name="ujibeban x &amp; &lt;y&gt;"');
  });
  it('adds a failing case for a partial result', () => {
    expect(renderJunit({ ...passing, partial: true })).toContain('<failure type="partial"');
  });
});

describe('renderHtml', () => {
  const html = renderHtml(failing);
  it('is one self-contained file: uPlot inlined, no external resources', () => {
    expect(html).toContain('<!doctype html>');
    expect(html).toMatch(/uPlot/);
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+stylesheet/);
    expect(html).not.toMatch(/https?:\/\/(cdn|unpkg|fonts)/);
    expect(html).toContain('@media print');
  });
  it('shows the verdict, the reasons, the checkpoints and thresholds', () => {
    expect(html).toMatch(/<section class="verdict fail" id="verdict">\s*<span class="word">FAIL<\/span>/);
    expect(html).toContain('checkpoint 17:00: ');
    expect(html).toMatch(/<tr class="fail" data-checkpoint="17:00">/);
    expect(html).toContain('<code>p(99)&lt;5000</code>');
    expect(html).toContain('id="provinces"');
    expect(html).toContain('Kalimantan Tengah');
  });
  it('marks a partial result', () => {
    expect(renderHtml({ ...passing, partial: true })).toContain('id="partial-marker"');
    expect(renderHtml(passing)).not.toContain('id="partial-marker"');
  });
  it('escapes names and cannot be broken out of by the inlined JSON', () => {
    const evil: ResultV1 = { ...passing, meta: { ...passing.meta, scenario: '</script><img src=x onerror=alert(1)>' } };
    const out = renderHtml(evil);
    expect(out).not.toContain('<img src=x');
    expect(out.match(/<\/script>/g)).toHaveLength(3);
  });
  it('puts the charts on simulated WIB time with checkpoint and Pilkada 2024 markers', () => {
    const { ctx, charts } = reportCharts(failing);
    expect(ctx).toMatchObject({ xKind: 'sim', simOrigin: 13 * 3600, timeScale: 60 });
    const completion = charts.find((c) => c.id === 'chart-completion')!;
    expect(completion.data[0][0]).toBe(13 * 3600);
    expect(completion.markers).toEqual(expect.arrayContaining([
      expect.objectContaining({ x: 17 * 3600, y: 80, shape: 'diamond' }),
      expect.objectContaining({ x: 19 * 3600, y: 81.8, shape: 'circle' }),
      expect.objectContaining({ x: 24 * 3600, y: 90, shape: 'circle' }),
    ]));
    const last = completion.data[1].at(-1)!;
    expect(last).toBeCloseTo((100 * failing.summary.tps.completed) / 270, 2);
  });
  it('uses real seconds for executor runs', () => {
    const exec: ResultV1 = {
      ...passing,
      meta: { ...passing.meta, executor: 'constant-rate', sim_origin_s: null, time_scale: 1 },
      timeline: passing.timeline.map((t) => ({ ...t, sim_s: null })),
    };
    const { ctx, charts } = reportCharts(exec);
    expect(ctx.xKind).toBe('real');
    expect(charts.find((c) => c.id === 'chart-throughput')!.data[0][1]).toBe(2);
  });
});

describe('a national real-time run (40,000 intervals, 38 provinces)', () => {
  const national = nationalResult(40_000);
  it('renders under 5 MB with every chart at most 2000 points', () => {
    const html = renderHtml(national);
    expect(Buffer.byteLength(html)).toBeLessThan(5 * 1024 * 1024);
    const { charts } = reportCharts(national);
    for (const c of charts) expect(c.data[0].length, c.id).toBeLessThanOrEqual(Math.min(2000, MAX_POINTS + 1));
    expect(html.match(/<tr><td data-value=/g)).toHaveLength(38);
  });
  it('keeps totals when downsampling rates (sum of counts / time)', () => {
    const { charts } = reportCharts(national);
    const dropped = charts.find((c) => c.id === 'chart-dropped')!;
    const xs = dropped.data[0] as number[];
    const step = xs[1] - xs[0];
    const total = (dropped.data[1] as number[]).reduce((a, v) => a + v * step, 0);
    const expected = national.timeline.reduce((a, t) => a + t.dropped, 0);
    expect(Math.abs(total - expected) / expected).toBeLessThan(0.005);
  });
});

describe('lttbIndexes', () => {
  it('keeps the ends and the requested number of points', () => {
    const xs = Array.from({ length: 10_000 }, (_, i) => i);
    const ys = xs.map((x) => Math.sin(x / 300));
    const idx = lttbIndexes(xs, ys, 500);
    expect(idx).toHaveLength(500);
    expect(idx[0]).toBe(0);
    expect(idx.at(-1)).toBe(9999);
    expect([...idx].sort((a, b) => a - b)).toEqual(idx);
  });
  it('keeps everything when under the threshold', () => {
    expect(lttbIndexes([1, 2, 3], [1, 2, 3], 10)).toEqual([0, 1, 2]);
  });
});
