import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/errors.js';
import { decodeHistogram } from '../../src/result/hdr.js';
import type { ResultV1 } from '../../src/result/types.js';
import { mergeResults } from '../../src/report/merge.js';
import { syntheticRun } from './fixtures.js';

const run = syntheticRun({ segments: 4, uploadErrorRate: 0.03, dropShare: 0.01 });
const merged = mergeResults(run.segments);

/** The parts of a result that merge must reproduce exactly (meta differs by design). */
function comparable(r: ResultV1) {
  return {
    pass: r.pass, failures: r.failures, partial: r.partial,
    requests: r.summary.requests, latency: r.summary.latency_ms, service: r.summary.service_time_ms,
    lag: r.summary.schedule_lag_ms, tps: r.summary.tps, uploads: r.summary.uploads, duration: r.summary.duration_s,
    series: r.series, checkpoints: r.checkpoints, thresholds: r.thresholds, provinces: r.provinces,
    timeline: r.timeline,
  };
}

describe('merging the 4 segments of Barito Utara\'s election day', () => {
  it('splits the 270 TPS over the segments', () => {
    expect(run.segments.map((s) => s.summary.tps.total)).toEqual([68, 68, 67, 67]);
    expect(merged.summary.tps.total).toBe(270);
  });

  it('equals the single run: counters, percentiles, checkpoints, thresholds, provinces, timeline', () => {
    expect(comparable(merged)).toEqual(comparable(run.single));
  });

  it('adds the HDR histograms exactly (same counts at every percentile)', () => {
    for (const key of Object.keys(run.single.histograms.total)) {
      const a = decodeHistogram(merged.histograms.total[key]);
      const b = decodeHistogram(run.single.histograms.total[key]);
      expect(a.totalCount, key).toBe(b.totalCount);
      for (const p of [1, 50, 90, 99, 99.9, 100]) expect(a.getValueAtPercentile(p), `${key} p${p}`).toBe(b.getValueAtPercentile(p));
    }
    expect(merged.histograms.intervals).toHaveLength(run.single.timeline.length);
  });

  it('recomputes the rates over the whole run', () => {
    expect(merged.summary.rate.offered_per_s).toBeCloseTo(run.single.summary.rate.offered_per_s, 9);
    expect(merged.summary.rate.achieved_per_s).toBeCloseTo(run.single.summary.rate.achieved_per_s, 9);
  });

  it('records how many segments it merged and drops the segment marker', () => {
    expect(merged.meta.merged_from).toBe(4);
    expect(merged.meta.segment).toBeNull();
    expect(merged.meta.machine.hostname).toBe('runner-1, runner-2, runner-3, runner-4');
  });

  it('is order-independent', () => {
    const shuffled = mergeResults([run.segments[2], run.segments[0], run.segments[3], run.segments[1]]);
    expect(shuffled).toEqual(merged);
  });

  it('aligns segments that started whole intervals apart on one grid', () => {
    const late = syntheticRun({ segments: 3, segmentOffsetsMs: [0, 2000, 4000] });
    const m = mergeResults(late.segments);
    expect(comparable(m)).toEqual(comparable(late.single));
    expect(m.meta.started_at).toBe(late.single.meta.started_at);
  });

  it('still merges timelines without interval histograms, keeping counts exact and the worst percentiles', () => {
    const bare = run.segments.map((s) => ({ ...s, histograms: { ...s.histograms, intervals: [] } }));
    const m = mergeResults(bare);
    expect(m.histograms.intervals).toEqual([]);
    expect(m.summary).toEqual(merged.summary);
    m.timeline.forEach((t, k) => {
      const exact = merged.timeline[k];
      expect(t.offered).toBe(exact.offered);
      expect(t.completed_cum).toEqual(exact.completed_cum);
      for (const name of Object.keys(exact.series) as Array<keyof typeof exact.series>) {
        expect(t.series[name]!.requests).toBe(exact.series[name]!.requests);
        expect(t.series[name]!.max).toBe(exact.series[name]!.max);
        expect(t.series[name]!.p99).toBeGreaterThanOrEqual(exact.series[name]!.p50);
      }
    });
  });

  it('marks a merge with a missing segment as partial, which cannot pass', () => {
    const m = mergeResults(run.segments.slice(0, 3));
    expect(m.partial).toBe(true);
    expect(m.pass).toBe(false);
    expect(m.failures.at(-1)).toMatch(/partial/);
    expect(m.summary.tps.total).toBe(203);
  });

  it('judges a failed checkpoint again on the sums', () => {
    const slow = syntheticRun({ segments: 2, curve: [[13 * 60, 0], [17 * 60, 0.6], [23 * 60, 1]] });
    const m = mergeResults(slow.segments);
    expect(m.checkpoints[0].pass).toBe(false);
    expect(m.pass).toBe(false);
    expect(m.failures[0]).toMatch(/^checkpoint 17:00: 5\d\.\d% of TPS completed \(\d+\/270\), target 80\.0%$/);
    expect(comparable(m)).toEqual(comparable(slow.single));
  });
});

describe('merge refuses results that are not segments of one plan', () => {
  const labels = ['a.json', 'b.json'];
  it('different seed', () => {
    const other = { ...run.segments[1], meta: { ...run.segments[1].meta, seed: 2 } };
    expect(() => mergeResults([run.segments[0], other], { labels })).toThrow(UsageError);
    expect(() => mergeResults([run.segments[0], other], { labels })).toThrow(/b\.json has seed 2 but a\.json has 1/);
  });
  it('different scale, scenario and election', () => {
    for (const change of [{ scale: 0.5 }, { scenario: 'other' }, { election: 'pemilu-2024' }]) {
      const other = { ...run.segments[1], meta: { ...run.segments[1].meta, ...change } };
      expect(() => mergeResults([run.segments[0], other])).toThrow(UsageError);
    }
  });
  it('the same segment twice', () => {
    expect(() => mergeResults([run.segments[1], run.segments[1]], { labels })).toThrow(/both segment 2\/4; overlapping/);
  });
  it('a whole run with a segment', () => {
    expect(() => mergeResults([run.single, run.segments[0]], { labels })).toThrow(/a\.json is a whole run/);
  });
  it('segments of differently split plans', () => {
    const other = { ...run.segments[1], meta: { ...run.segments[1].meta, segment: { index: 2, count: 3 } } };
    expect(() => mergeResults([run.segments[0], other])).toThrow(/differently split plans overlap/);
  });
  it('nothing at all', () => {
    expect(() => mergeResults([])).toThrow(/no results given/);
  });
});
