/// <reference lib="dom" />
/**
 * report.html in a real Chromium, opened from file:// with the network blocked: no console
 * errors, every chart canvas drew something, the verdict and checkpoints are on the page.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html.js';
import { renderCompareHtml, compareResults } from '../../src/report/compare.js';
import type { ResultV1 } from '../../src/result/types.js';
import { syntheticRun } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'ujibeban-report-'));
let browser: Browser;
let page: Page;
/** Console errors/warnings, page errors and network attempts since the last open(). */
let problems: string[] = [];

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  // One page for all tests: a new context costs about a second on a small CI machine.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file://') || url.startsWith('data:')) return route.continue();
    problems.push(`network request: ${url}`);
    return route.abort();
  });
});
afterAll(async () => { await browser?.close(); });

/** Opens an HTML file offline (any attempt to reach the network is recorded as a problem). */
async function open(file: string): Promise<void> {
  problems = [];
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
}

/** For each chart: the number of canvas pixels that are neither transparent nor white. */
async function inkedPixels(): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const out: Record<string, number> = {};
    document.querySelectorAll<HTMLElement>('[data-chart]').forEach((el) => {
      const canvas = el.querySelector('canvas');
      if (!canvas) { out[el.id] = -1; return; }
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] > 0 && !(data[i] > 245 && data[i + 1] > 245 && data[i + 2] > 245)) n++;
      }
      out[el.id] = n;
    });
    return out;
  });
}

describe('report.html in Chromium', () => {
  const run = syntheticRun({ uploadErrorRate: 0.04, dropShare: 0.02, curve: [[13 * 60, 0], [15 * 60, 0.3], [17 * 60, 0.7], [20 * 60, 0.93], [23 * 60, 1]] }).single;

  it('opens offline without console errors and draws every chart (Barito Utara, failed 17:00 checkpoint)', async () => {
    const file = join(dir, 'report.html');
    writeFileSync(file, renderHtml(run));
    await open(file);
    const ink = await inkedPixels();
    expect(Object.keys(ink).sort()).toEqual([
      'chart-completion', 'chart-distribution', 'chart-dropped', 'chart-errors', 'chart-lag',
      'chart-latency-login', 'chart-latency-read', 'chart-latency-upload', 'chart-throughput',
    ]);
    for (const [id, n] of Object.entries(ink)) expect(n, `${id} drew ${n} pixels`).toBeGreaterThan(2000);
    expect(await page.locator('#verdict .word').textContent()).toBe('FAIL');
    expect(await page.locator('#verdict').textContent()).toContain('checkpoint 17:00');
    expect(await page.locator('#checkpoints tbody tr').count()).toBe(2);
    expect(await page.locator('#checkpoints tr[data-checkpoint="17:00"]').textContent()).toContain('FAIL');
    // The x axis reads in local time and the legend gives real elapsed seconds.
    await page.locator('#chart-completion').scrollIntoViewIfNeeded();
    const box = (await page.locator('#chart-completion .u-over').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
    expect(await page.locator('#chart-completion .u-legend').textContent()).toMatch(/\d\d:\d\d WIB \(real t=/);
    await page.screenshot({ path: join(dir, 'report.png'), fullPage: true });
    expect(problems).toEqual([]);
  });

  it('sorts the province table when a header is clicked', async () => {
    const national = syntheticRun({
      name: 'nasional-mini', regions: 'all', readRate: 1,
      provinces: [
        { code: '31', name: 'DKI Jakarta', zone: 'WIB', tps: 40 },
        { code: '51', name: 'Bali', zone: 'WITA', tps: 25 },
        { code: '91', name: 'Papua', zone: 'WIT', tps: 12 },
      ],
    }).single;
    const file = join(dir, 'national.html');
    writeFileSync(file, renderHtml(national));
    await open(file);
    const names = (): Promise<string[]> => page.locator('#provinces tbody tr td:nth-child(2)').allTextContents();
    expect(await names()).toEqual(['DKI Jakarta', 'Bali', 'Papua']);
    await page.locator('#provinces th', { hasText: 'TPS' }).click();
    expect(await names()).toEqual(['Papua', 'Bali', 'DKI Jakarta']);
    await page.locator('#provinces th', { hasText: 'TPS' }).click();
    expect(await names()).toEqual(['DKI Jakarta', 'Bali', 'Papua']);
    const ink = await inkedPixels();
    for (const [id, n] of Object.entries(ink)) expect(n, id).toBeGreaterThan(2000);
    await page.screenshot({ path: join(dir, 'national.png') });
    expect(problems).toEqual([]);
  });

  it('draws an executor run on real seconds, with an idle series and no TPS, without errors', async () => {
    const exec: ResultV1 = {
      ...run,
      meta: { ...run.meta, executor: 'constant-rate', sim_origin_s: null, time_scale: 1, window: null },
      checkpoints: [],
      summary: { ...run.summary, tps: { total: 0, completed: 0, by_zone: { WIB: { total: 0, completed: 0 }, WITA: { total: 0, completed: 0 }, WIT: { total: 0, completed: 0 } } } },
      timeline: run.timeline.map((t) => ({ ...t, sim_s: null, series: { upload: t.series.upload, login: undefined } })),
      provinces: [],
    };
    const file = join(dir, 'executor.html');
    writeFileSync(file, renderHtml(exec));
    await open(file);
    const ink = await inkedPixels();
    expect(ink['chart-completion']).toBeUndefined();
    for (const [id, n] of Object.entries(ink)) expect(n, id).toBeGreaterThan(1000);
    expect(await page.locator('#checkpoints').count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('draws the compare page: both runs overlaid', async () => {
    const slow = syntheticRun({ latencyFactor: 1.6, uploadErrorRate: 0.04 }).single;
    const file = join(dir, 'compare.html');
    writeFileSync(file, renderCompareHtml(compareResults(run, slow), run, slow));
    await open(file);
    const ink = await inkedPixels();
    expect(Object.keys(ink).length).toBeGreaterThanOrEqual(2);
    for (const [id, n] of Object.entries(ink)) expect(n, id).toBeGreaterThan(2000);
    expect(await page.locator('#compare-verdict').textContent()).toMatch(/REGRESSION/);
    await page.screenshot({ path: join(dir, 'compare.png') });
    expect(problems).toEqual([]);
  });

  afterAll(() => { if (process.env.UJIBEBAN_KEEP_SCREENSHOTS) console.log(`report screenshots in ${dir}`); });
});
