import { describe, expect, it } from 'vitest';
import { evaluateThreshold, evaluateThresholds, parseThreshold } from '../../src/report/thresholds.js';
import type { ThresholdSource } from '../../src/report/thresholds.js';
import { computeVerdict } from '../../src/report/verdict.js';
import { percentileSource } from '../../src/report/histograms.js';
import { baritoUtaraRun } from './fixtures.js';

const lat = (p99: number, extra: Partial<Record<string, number>> = {}) => ({
  count: 1000, mean: 180, p50: 120, p90: 300, p95: 450, p99, p999: p99 * 2, max: p99 * 3, ...extra,
});

const source: ThresholdSource = {
  summary: { requests: { total: 10_000, failed: 150, dropped: 50 }, latency_ms: lat(900) },
  series: {
    upload: { requests: { total: 4000, failed: 120, dropped: 0 }, latency_ms: lat(5200) },
    login: { requests: { total: 1000, failed: 0, dropped: 50 }, latency_ms: lat(700) },
  },
};

describe('parseThreshold', () => {
  it('reads k6-style expressions', () => {
    expect(parseThreshold('p(99)<5000')).toEqual({ expr: 'p(99)<5000', aggregate: { kind: 'percentile', p: 99 }, op: '<', limit: 5000 });
    expect(parseThreshold('p(95) <= 1000').op).toBe('<=');
    expect(parseThreshold('p(99.9)<8000').aggregate).toEqual({ kind: 'percentile', p: 99.9 });
    expect(parseThreshold('avg<200').aggregate).toEqual({ kind: 'avg' });
    expect(parseThreshold('med<100').aggregate).toEqual({ kind: 'percentile', p: 50 });
    expect(parseThreshold('max<30000').aggregate).toEqual({ kind: 'max' });
    expect(parseThreshold('rate(errors)<0.01').aggregate).toEqual({ kind: 'rate', of: 'errors' });
    expect(parseThreshold('rate<0.01').aggregate).toEqual({ kind: 'rate', of: 'errors' });
    expect(parseThreshold('rate(dropped)<0.001').aggregate).toEqual({ kind: 'rate', of: 'dropped' });
    expect(parseThreshold('count>=100').aggregate).toEqual({ kind: 'count', of: 'requests' });
    expect(parseThreshold('count(errors)==0')).toMatchObject({ op: '==', limit: 0 });
  });

  it.each([
    ['p99<5000', /unknown aggregate "p99"/],
    ['p(150)<5000', /percentile 150 is out of range/],
    ['p(99)', /threshold "p\(99\)": expected "<aggregate><op><number>"/],
    ['p(99)<fast', /limit "fast" is not a number/],
    ['<5000', /threshold "<5000": expected/],
    ['latency<5', /unknown aggregate "latency"/],
    ['', /threshold "": expected/],
    ['rate(timeouts)<0.1', /unknown aggregate "rate\(timeouts\)"/],
  ])('rejects %j with a message naming it', (expr, message) => {
    expect(() => parseThreshold(expr)).toThrow(message);
  });
});

describe('evaluateThreshold', () => {
  it('fails upload p(99)<5000 when the upload p99 is 5.2 s', () => {
    expect(evaluateThreshold(source, { metric: 'upload', expr: 'p(99)<5000' })).toEqual({ metric: 'upload', expr: 'p(99)<5000', value: 5200, pass: false });
  });
  it('passes "all" p(99)<5000 on the run-wide p99', () => {
    expect(evaluateThreshold(source, { metric: 'all', expr: 'p(99)<5000' })).toMatchObject({ value: 900, pass: true });
  });
  it('computes error and drop rates', () => {
    expect(evaluateThreshold(source, { metric: 'upload', expr: 'rate(errors)<0.01' })).toMatchObject({ value: 0.03, pass: false });
    expect(evaluateThreshold(source, { metric: 'all', expr: 'rate<0.02' })).toMatchObject({ value: 0.015, pass: true });
    expect(evaluateThreshold(source, { metric: 'all', expr: 'rate(dropped)<0.01' })).toMatchObject({ value: 50 / 10_050, pass: true });
  });
  it('uses avg, max and counts', () => {
    expect(evaluateThreshold(source, { metric: 'login', expr: 'avg<200' })).toMatchObject({ value: 180, pass: true });
    expect(evaluateThreshold(source, { metric: 'login', expr: 'max<2000' })).toMatchObject({ value: 2100, pass: false });
    expect(evaluateThreshold(source, { metric: 'all', expr: 'count>5000' })).toMatchObject({ value: 10_000, pass: true });
    expect(evaluateThreshold(source, { metric: 'upload', expr: 'count(errors)<100' })).toMatchObject({ value: 120, pass: false });
  });
  it('treats a known series without traffic as empty', () => {
    expect(evaluateThreshold(source, { metric: 'read', expr: 'p(99)<100' })).toMatchObject({ value: 0, pass: true });
  });
  it('rejects an unknown metric', () => {
    expect(() => evaluateThreshold(source, { metric: 'uplod', expr: 'p(99)<100' })).toThrow(/unknown metric "uplod"/);
  });
  it('needs a histogram for a percentile the summary does not carry', () => {
    expect(() => evaluateThreshold(source, { metric: 'upload', expr: 'p(75)<1000' })).toThrow(/p\(75\) needs the latency histogram/);
  });
  it('reads any percentile from the HDR histograms of a real result', () => {
    const r = baritoUtaraRun();
    const withHist = { ...r, percentileMs: percentileSource(r.histograms.total) };
    const [p75, p99] = evaluateThresholds(withHist, [{ metric: 'upload', expr: 'p(75)<10000' }, { metric: 'upload', expr: 'p(99)<10000' }]);
    expect(p75.value).toBeGreaterThan(r.series.upload!.latency_ms.p50);
    expect(p75.value).toBeLessThan(r.series.upload!.latency_ms.p90);
    expect(p99.value).toBe(r.series.upload!.latency_ms.p99);
  });
});

describe('computeVerdict', () => {
  const base = () => ({
    pass: true, partial: false, failures: [] as string[],
    checkpoints: [
      { at: '17:00', target: 0.8, achieved: 0.75, completed: 203, total: 270, by_zone: { WIB: { completed: 203, total: 270 }, WITA: { completed: 0, total: 0 }, WIT: { completed: 0, total: 0 } }, pass: false },
      { at: '24:00', target: 1, achieved: 1, completed: 270, total: 270, by_zone: { WIB: { completed: 270, total: 270 }, WITA: { completed: 0, total: 0 }, WIT: { completed: 0, total: 0 } }, pass: true },
    ],
    thresholds: [{ metric: 'upload', expr: 'p(99)<5000', value: 5200, pass: false }],
  });
  it('puts goodput first: checkpoints before thresholds', () => {
    const v = computeVerdict(base());
    expect(v.pass).toBe(false);
    expect(v.failures).toEqual([
      'checkpoint 17:00: 75.0% of TPS completed (203/270), target 80.0%',
      'threshold upload p(99)<5000: observed 5,200 ms',
    ]);
  });
  it('passes when everything held, fails when partial', () => {
    const ok = base();
    ok.checkpoints[0].pass = true;
    ok.thresholds[0].pass = true;
    expect(computeVerdict(ok)).toMatchObject({ pass: true, failures: [] });
    expect(computeVerdict({ ...ok, partial: true })).toMatchObject({ pass: false });
    expect(computeVerdict({ ...ok, partial: true }, { partialFails: false })).toMatchObject({ pass: true });
  });
});
