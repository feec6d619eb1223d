/**
 * The recorder: everything a run measures, in bounded memory. Live state is one set of
 * histograms for the open interval plus one for the run totals; when an interval closes its
 * histograms are encoded to base64 (for result.json, so segments merge exactly) and reset,
 * and its percentiles go into the timeline. The encoded histograms are kept in
 * `intervalHistograms`, or, with a `spill`, appended to a temporary file as each interval is
 * finalized (a run: an 11-hour run would otherwise hold ~40k sets of base64 strings).
 *
 * Completion is counted per province (Uint32Array) and per zone; each checkpoint's count is
 * frozen at the checkpoint's real instant per zone (the first completion after the instant,
 * the interval timer or the end of the run freezes it, whichever comes first), so the count
 * is exact, not sampled.
 */
import { ZONE_NAMES, type Zone } from '../../src/domain/zones.js';
import { addInto, encodeHistogram, newHistogram, type Histogram } from '../../src/result/hdr.js';
import { fastPercentilesMs } from './percentiles.js';
import { SERIES, type SeriesName, type TimelineInterval } from '../../src/result/types.js';
import type { HttpResult } from '../http/types.js';
import type { PlanCheckpoint } from '../plan/types.js';
import { compactMap, Counts, SeriesRecord } from './counters.js';
import type { IntervalSpill } from './spill.js';

export interface RecorderOptions {
  /** Monotonic µs of the plan origin (t = 0). */
  originUs: number;
  intervalS: number;
  /** Simulated seconds at real ms (plan.simAt); null-returning for executors. */
  simAt: (realMs: number) => number | null;
  checkpoints: readonly PlanCheckpoint[];
  provinceCount: number;
  /** Finalize closed intervals' histograms on later event-loop turns (runs: true; tests: false). */
  deferEncoding?: boolean;
  /** Append closed intervals' histograms here instead of keeping them in `intervalHistograms`. */
  spill?: IntervalSpill | null;
}

interface PendingCheckpoint { index: number; zone: Zone; atUs: number }

const SERIES_INDEX: Record<SeriesName, number> = { login: 0, upload: 1, read: 2 };

export interface UploadCounters { accepted: number; corrections: number; duplicates: number; flagged: number }

/**
 * Runs the interval-closing code once on throwaway histograms: cold, the first close takes
 * ~60 ms (JIT), which would land as schedule lag on the first second's arrivals.
 */
export function warmUpRecorder(): void {
  const r = new Recorder({ originUs: 0, intervalS: 1, simAt: () => null, checkpoints: [], provinceCount: 1 });
  const res: HttpResult = { status: 200, code: '', retryAfterS: -1, body: null, writeUs: 10, endUs: 0 };
  for (let i = 0; i < 2000; i++) {
    res.endUs = 100 + (i % 3) * 1_000_000 + i * 37;
    r.request(SERIES[i % 3], res, 0);
  }
  r.finish(4_000_000);
}

export class Recorder {
  readonly originUs: number;
  readonly intervalUs: number;
  private readonly simAt: (realMs: number) => number | null;

  // Open interval.
  private intervalIndex = 0;
  private cur: SeriesRecord[] = SERIES.map(() => new SeriesRecord());
  private curLag: Histogram = newHistogram();
  // The closed interval's set while its histograms are finalized (see closeInterval).
  private spare: SeriesRecord[] = SERIES.map(() => new SeriesRecord());
  private spareLag: Histogram = newHistogram();
  private readonly pendingSteps: Array<() => void> = [];
  private stepScheduled = false;
  private readonly deferEncoding: boolean;
  /** Set at the end of the run: requests cut short by the teardown are not recorded. */
  private sealed = false;
  private curOffered = 0;
  private curDropped = 0;

  // Run totals.
  readonly total: SeriesRecord[] = SERIES.map(() => new SeriesRecord());
  readonly totalLag: Histogram = newHistogram();
  offered = 0;
  dropped = 0;
  /** Dropped arrivals whose series is known (viewers: read), by SERIES order. */
  readonly droppedBySeries = new Uint32Array(SERIES.length);
  /** Dropped arrivals charged to the scenario's first series (officers: login; hits: their kind). */
  droppedUnassigned = 0;
  readonly uploads: UploadCounters = { accepted: 0, corrections: 0, duplicates: 0, flagged: 0 };

  // Completion.
  readonly completedByProvince: Uint32Array;
  readonly completedByZone: Record<Zone, number> = { WIB: 0, WITA: 0, WIT: 0 };
  private readonly pending: PendingCheckpoint[];
  /** checkpoint index -> zone -> completed count frozen at its instant. */
  readonly checkpointCounts: Array<Partial<Record<Zone, number>>>;

  // Closed intervals.
  readonly timeline: TimelineInterval[] = [];
  /** Encoded histograms per closed interval; stays empty with a spill (they are in the file). */
  readonly intervalHistograms: Array<Record<string, string>> = [];
  readonly spill: IntervalSpill | null;

  constructor(o: RecorderOptions) {
    this.originUs = o.originUs;
    this.intervalUs = Math.max(1, o.intervalS) * 1e6;
    this.simAt = o.simAt;
    this.deferEncoding = o.deferEncoding ?? false;
    this.spill = o.spill ?? null;
    this.completedByProvince = new Uint32Array(o.provinceCount);
    this.checkpointCounts = o.checkpoints.map(() => ({}));
    this.pending = [];
    o.checkpoints.forEach((c, index) => {
      for (const zone of ZONE_NAMES) {
        const ms = c.realMsByZone[zone];
        if (ms !== undefined) this.pending.push({ index, zone, atUs: o.originUs + ms * 1000 });
      }
    });
    this.pending.sort((a, b) => a.atUs - b.atUs);
  }

  /** One attempt's outcome. Latency from the intended instant; service time from the write. */
  request(series: SeriesName, res: HttpResult, intendedUs: number): void {
    if (this.sealed) return;
    this.roll(res.endUs);
    const r = this.cur[SERIES_INDEX[series]];
    r.counts.add(res.status, res.code);
    r.latency.recordValue(Math.max(1, Math.round(res.endUs - intendedUs)));
    if (res.writeUs > 0) {
      r.service.recordValue(Math.max(1, Math.round(res.endUs - res.writeUs)));
      this.curLag.recordValue(Math.max(1, Math.round(res.writeUs - intendedUs)));
    }
  }

  arrivalOffered(nowUs: number): void {
    this.roll(nowUs);
    this.curOffered++;
    this.offered++;
  }

  /** An arrival not started (in-flight cap). `series`: where its first request would have gone. */
  arrivalDropped(nowUs: number, series?: SeriesName): void {
    this.roll(nowUs);
    this.curDropped++;
    this.dropped++;
    if (series) this.droppedBySeries[SERIES_INDEX[series]]++;
    else this.droppedUnassigned++;
  }

  /** A TPS had every contest accepted at `nowUs`. */
  completion(zone: Zone, provinceIndex: number, nowUs: number): void {
    if (this.sealed) return;
    this.roll(nowUs);
    this.freezeCheckpoints(nowUs);
    this.completedByProvince[provinceIndex]++;
    this.completedByZone[zone]++;
  }

  private freezeCheckpoints(nowUs: number): void {
    while (this.pending.length > 0 && this.pending[0].atUs < nowUs) {
      const p = this.pending.shift()!;
      this.checkpointCounts[p.index][p.zone] = this.completedByZone[p.zone];
    }
  }

  /** Closes every interval that ended before `nowUs` (called on each sample and by a timer). */
  roll(nowUs: number): void {
    const idx = Math.floor((nowUs - this.originUs) / this.intervalUs);
    while (this.intervalIndex < idx) this.closeInterval();
  }

  /** Also freezes due checkpoints: the interval timer calls this. */
  tick(nowUs: number): void {
    this.freezeCheckpoints(nowUs);
    this.roll(nowUs);
  }

  /**
   * Closes the open interval: counts go into the timeline at once; the histogram work
   * (percentiles, base64 encoding, adding into the totals: ~5 ms per histogram on a small
   * machine) is split into one step per histogram run on later event-loop turns when
   * `deferEncoding` is on, so the scheduler is never blocked for the whole lot. Two sets of
   * histograms alternate: the closed set is finalized while the new interval records into
   * the other, and no histogram is allocated per interval.
   */
  private closeInterval(): void {
    if (this.pendingSteps.length > 0) this.flush();
    const closed = this.cur;
    const closedLag = this.curLag;
    this.cur = this.spare;
    this.curLag = this.spareLag;
    this.spare = closed;
    this.spareLag = closedLag;

    const tS = (this.intervalIndex * this.intervalUs) / 1e6;
    const series: TimelineInterval['series'] = {};
    const hist: Record<string, string> = {};
    const entry: TimelineInterval = {
      t_s: tS,
      sim_s: this.simAt(tS * 1000),
      offered: this.curOffered,
      dropped: this.curDropped,
      series,
      lag_p99_ms: 0,
      completed_cum: { ...this.completedByZone },
    };
    SERIES.forEach((name, i) => {
      const r = closed[i];
      if (r.counts.requests === 0) return;
      const c = r.counts;
      const row = {
        requests: c.requests, ok: c.ok, failed: c.failed, by_status: compactMap(c.by_status), by_code: compactMap(c.by_code),
        p50: 0, p90: 0, p99: 0, max: 0,
      };
      series[name] = row;
      this.total[i].counts.merge(c);
      // New objects for the next interval (the timeline row has compact copies: see compactMap).
      c.requests = 0; c.ok = 0; c.failed = 0;
      c.by_status = {}; c.by_code = {};
      this.pendingSteps.push(() => {
        if (r.latency.totalCount > 0) {
          const p = fastPercentilesMs(r.latency);
          row.p50 = p.p50; row.p90 = p.p90; row.p99 = p.p99; row.max = p.max;
          hist[`${name}.latency`] = encodeHistogram(r.latency);
          addInto(this.total[i].latency, r.latency);
        }
        r.latency.reset();
      });
      this.pendingSteps.push(() => {
        if (r.service.totalCount > 0) {
          hist[`${name}.service`] = encodeHistogram(r.service);
          addInto(this.total[i].service, r.service);
        }
        r.service.reset();
      });
    });
    if (closedLag.totalCount > 0) {
      this.pendingSteps.push(() => {
        entry.lag_p99_ms = fastPercentilesMs(closedLag).p99;
        hist.lag = encodeHistogram(closedLag);
        addInto(this.totalLag, closedLag);
        closedLag.reset();
      });
    }
    this.timeline.push(entry);
    // To the spill once complete: after this interval's steps, which fill `hist`.
    const spill = this.spill;
    if (spill) this.pendingSteps.push(() => spill.push(hist));
    else this.intervalHistograms.push(hist);
    this.curOffered = 0;
    this.curDropped = 0;
    this.intervalIndex++;
    if (!this.deferEncoding) this.flush();
    else if (!this.stepScheduled && this.pendingSteps.length > 0) {
      this.stepScheduled = true;
      setImmediate(this.runStep);
    }
  }

  private readonly runStep = (): void => {
    this.stepScheduled = false;
    const step = this.pendingSteps.shift();
    step?.();
    if (this.pendingSteps.length > 0) {
      this.stepScheduled = true;
      setImmediate(this.runStep);
    }
  };

  /** Finishes the histogram work of closed intervals now. */
  flush(): void {
    while (this.pendingSteps.length > 0) this.pendingSteps.shift()!();
  }

  /**
   * Ends the run at `endUs`: closes the last interval and finalizes everything. Whatever
   * still arrives afterwards (sessions cut by the teardown after the drain) is ignored: those
   * requests had not completed by the end of the run, and their abort is not the target's error.
   */
  seal(endUs: number): void {
    if (this.sealed) return;
    this.finish(endUs);
    this.sealed = true;
  }

  /** Closes the last (partial) interval and freezes checkpoints not reached yet. */
  finish(endUs: number): void {
    this.freezeCheckpoints(endUs);
    this.roll(endUs);
    this.closeInterval();
    this.flush();
    for (const p of this.pending.splice(0)) this.checkpointCounts[p.index][p.zone] = this.completedByZone[p.zone];
  }

  /** Latest closed and finalized interval (for the live display), or null. */
  lastInterval(): TimelineInterval | null {
    // Skip the newest while its percentiles are still being computed.
    const i = this.timeline.length - (this.pendingSteps.length > 0 ? 2 : 1);
    return i >= 0 ? this.timeline[i] : null;
  }

  /** Requests and failures so far (closed intervals plus the open one). */
  requestsSoFar(): { total: number; failed: number } {
    let total = 0;
    let failed = 0;
    for (let i = 0; i < SERIES.length; i++) {
      total += this.total[i].counts.requests + this.cur[i].counts.requests;
      failed += this.total[i].counts.failed + this.cur[i].counts.failed;
    }
    return { total, failed };
  }

  seriesDropped(name: SeriesName, defaultSeries: SeriesName): number {
    return this.droppedBySeries[SERIES_INDEX[name]] + (name === defaultSeries ? this.droppedUnassigned : 0);
  }

  seriesTotal(name: SeriesName): SeriesRecord {
    return this.total[SERIES_INDEX[name]];
  }

  completedTotal(): number {
    return this.completedByZone.WIB + this.completedByZone.WITA + this.completedByZone.WIT;
  }
}

export { Counts };
