/**
 * What a scenario will do, in plain words (as k6 describes its executors before a run):
 * `ujibeban scenario describe` and the load generator's `--dry-run` print this. Also the
 * timing arithmetic (simulated span, real run length) that the catalog shows.
 */
import { ELECTIONS, contestsIn } from '../domain/elections.js';
import { Hierarchy } from '../domain/hierarchy.js';
import { formatLocalTime } from '../domain/zones.js';
import { ZONE_NAMES, ZONE_OFFSET_H, type Zone } from '../domain/zones.js';
import type { Distribution } from '../domain/distribution.js';
import { formatDuration } from './duration.js';
import type { CurvePoint, ElectionDayScenario, Scenario } from './types.js';

const n = (x: number): string => Math.round(x).toLocaleString('en-US');
const pct = (x: number): string => `${Math.round(x * 1000) / 10}%`;
/** Real seconds as a duration, to 0.1 s. */
const secs = (s: number): string => formatDuration(s >= 1 ? Math.round(s * 10) * 100 : Math.round(s * 1000));

function bytes(b: number): string {
  if (b >= 1e6) return `${Math.round(b / 1e5) / 10} MB`;
  if (b >= 1e3) return `${Math.round(b / 100) / 10} KB`;
  return `${Math.round(b)} B`;
}

function distribution(d: Distribution): string {
  if ('fixed' in d) return bytes(d.fixed);
  if ('uniform' in d) return `uniform ${bytes(d.uniform.min)}-${bytes(d.uniform.max)}`;
  return `log-normal, median ${bytes(d.lognormal.median)}, sigma ${d.lognormal.sigma}`;
}

/** Value of a piecewise-linear curve at x (flat outside its points). */
export function curveAt(points: readonly CurvePoint[], x: number): number {
  if (points.length === 0) return 0;
  if (x <= points[0].atMin) return points[0].value;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1];
    const b = points[i];
    if (x <= b.atMin) return a.value + ((b.value - a.value) * (x - a.atMin)) / (b.atMin - a.atMin);
  }
  return points[points.length - 1].value;
}

export interface ElectionDayTiming {
  /** Zones that hold TPS, with their TPS counts. */
  zones: Array<{ zone: Zone; tps: number }>;
  /** Simulated span in WIB minutes since 00:00 WIB (WITA and WIT start 1 and 2 h earlier on the local clock). */
  simStartMin: number;
  simEndMin: number;
  /** Real seconds from the first to the last simulated minute (without drain). */
  realS: number;
  /** Highest officer arrival rate (sessions per real second), over 1-minute steps. */
  peakArrivalsPerS: number;
}

/** Minutes to add to WIB time to get a zone's clock time in this scenario. */
const shiftMin = (s: ElectionDayScenario, z: Zone): number => (s.clock === 'local' ? ZONE_OFFSET_H[z] * 60 : 0);

/**
 * Little's law for an officer session: a session is in flight from its login to its last upload,
 * and waits the think time (simulated, so divided by the time scale) before each upload. At the
 * peak, arrivals/s × that wait is the least number of sessions in flight, with an instant server.
 */
export function sessionsInFlightAtPeak(peakArrivalsPerS: number, uploadsPerSession: number, thinkMs: number, timeScale: number): number {
  return Math.ceil(peakArrivalsPerS * uploadsPerSession * (thinkMs / timeScale / 1000));
}

export function electionDayTiming(s: ElectionDayScenario, zoneTotals: Record<Zone, number>): ElectionDayTiming {
  const zones = ZONE_NAMES.filter((z) => zoneTotals[z] > 0).map((zone) => ({ zone, tps: zoneTotals[zone] }));
  const shifts = zones.map((z) => shiftMin(s, z.zone));
  const simStartMin = zones.length ? Math.min(...shifts.map((d) => s.window.startMin - d)) : s.window.startMin;
  const simEndMin = zones.length ? Math.max(...shifts.map((d) => s.window.endMin - d)) : s.window.endMin;
  const realS = ((simEndMin - simStartMin) * 60) / s.timeScale;
  const done = (wib: number) => zones.reduce((acc, z, i) => acc + z.tps * curveAt(s.curve, wib + shifts[i]), 0);
  let peak = 0;
  for (let t = simStartMin; t < simEndMin; t++) peak = Math.max(peak, done(t + 1) - done(t));
  return { zones, simStartMin, simEndMin, realS, peakArrivalsPerS: (peak / 60) * s.timeScale };
}

/** Real seconds a scenario runs before its drain (and the drain), for listings. */
export function realDuration(s: Scenario, h?: Hierarchy): { runS: number; drainS: number } {
  if (s.executor === 'constant-rate') return { runS: s.durationMs / 1000, drainS: s.drainS };
  if (s.executor === 'ramping-rate') return { runS: s.stages.reduce((a, st) => a + st.durationMs, 0) / 1000, drainS: s.drainS };
  const hierarchy = h ?? new Hierarchy(s);
  return { runS: electionDayTiming(s, hierarchy.zoneTotals()).realS, drainS: s.drainS };
}

function regionsLine(s: Scenario, h: Hierarchy): string {
  if (s.regions === 'all') return `all ${h.provinces().length} provinces`;
  return s.regions.map((c) => {
    const r = h.region(c);
    return r ? `${c} ${r.name}` : c;
  }).join(', ');
}

/** One line of thresholds per series. */
function thresholdLines(s: Scenario): string[] {
  if (s.thresholds.length === 0) return ['  none (the verdict rests on the checkpoints)'];
  const by = new Map<string, string[]>();
  for (const t of s.thresholds) by.set(t.metric, [...(by.get(t.metric) ?? []), t.expr]);
  return [...by].map(([m, exprs]) => `  ${m}: ${exprs.join(', ')}`);
}

/** A plain-words description of what the scenario will do. */
export function describeScenario(s: Scenario): string {
  const h = new Hierarchy(s);
  const e = ELECTIONS[s.election];
  const out: string[] = [];
  out.push(`${s.name}${s.description ? `: ${s.description}` : ''}`);
  out.push('');
  out.push(`Election   ${s.election} (${e.date}), contests ${e.contests.join(', ')}`);
  const zt = h.zoneTotals();
  const zoneText = ZONE_NAMES.filter((z) => zt[z] > 0).map((z) => `${z} ${n(zt[z])}`).join(', ');
  out.push(`Regions    ${regionsLine(s, h)}`);
  out.push(`TPS        ${n(h.totalTps)} at scale ${s.scale} (seed ${s.seed}): ${zoneText}`);

  // Sessions and uploads per TPS, from the contests each province holds.
  let uploads = 0;
  for (const p of h.provinces()) uploads += p.tpsCount * contestsIn(s.election, `${p.province.code}01`).length;

  const o = s.officers;
  const retry = o.retry.max === 0 ? 'no retries'
    : `retry up to ${o.retry.max} times, backoff ${formatDuration(o.retry.baseMs)} doubling to ${formatDuration(o.retry.capMs)}` +
      `${o.retry.jitter === 'full' ? ' with full jitter' : ''}${o.retry.honourRetryAfter ? ', honouring Retry-After' : ''}`;
  const photos = `${o.pagesPerForm} photo page(s) per form, ${distribution(o.photoBytes)} each`;
  const officerLines = o.mode === 'login-only'
    ? [`Officers   log in only (no uploads): ${n(h.totalTps)} logins`]
    : [
      `Officers   one per TPS: log in, then upload each contest's C1 form: ${n(h.totalTps)} logins, ${n(uploads)} uploads`,
      `           ${photos}; ` +
        `misread ${pct(o.misreadShare)}, duplicate ${pct(o.duplicateShare)}, corrected ${pct(o.correctionShare)}; ` +
        `think ${formatDuration(o.thinkMs)} (simulated)`,
    ];
  const attempts = `           attempt timeout ${formatDuration(o.attemptTimeoutMs)}; ${retry}`;

  const rateRequestLines = (request: string): string[] => {
    if (request === 'upload') return [`Uploads    ${photos}; a TPS logs in before its first upload`, attempts];
    if (request === 'login') return [attempts.replace(/^ {11}/, 'Logins     ')];
    return [];
  };

  if (s.executor === 'election-day') {
    const t = electionDayTiming(s, zt);
    out.push('');
    out.push(`Executor   election-day: officer sessions start along the completion curve (open model: arrivals never wait ` +
      `for replies; beyond ${n(s.limits.maxInFlight)} sessions in flight an arrival is dropped, not delayed)`);
    const clock = s.clock === 'local' ? 'local time in each zone' : 'WIB for every zone';
    out.push(`Window     ${s.window.start}-${s.window.end} ${clock}`);
    if (s.clock === 'local') {
      for (const z of t.zones) {
        const d = shiftMin(s, z.zone);
        out.push(`           ${z.zone}: ${formatLocalTime(s.window.startMin - d)}-${formatLocalTime(s.window.endMin - d)} WIB (${n(z.tps)} TPS)`);
      }
    }
    out.push(`Targets    ${s.checkpoints.map((c) => `${pct(c.target)} by ${c.at}`).join(', ')}`);
    out.push(`Curve      ${s.curve.map((p) => `${pct(p.value)} at ${formatLocalTime(p.atMin)}`).join(' -> ')} (linear between)`);
    const simH = (t.simEndMin - t.simStartMin) / 60;
    out.push(`Time       ${Math.round(simH * 10) / 10} h of election day (${formatLocalTime(t.simStartMin)}-${formatLocalTime(t.simEndMin)} WIB) ` +
      `in ${secs(t.realS)} of real time (time scale ${s.timeScale}x), then up to ${secs(s.drainS)} to drain`);
    out.push(`           peak arrivals about ${(Math.round(t.peakArrivalsPerS * 10) / 10).toLocaleString('en-US')} officer sessions per real second`);
    const need = o.mode === 'login-only' ? 0
      : sessionsInFlightAtPeak(t.peakArrivalsPerS, uploads / Math.max(1, h.totalTps), o.thinkMs, s.timeScale);
    if (need > 0) {
      out.push(`           sessions in flight at the peak: at least ${n(need)} (arrivals x think time before each upload, ` +
        'before any reply time)');
      if (need > s.limits.maxInFlight) {
        out.push(`WARNING    limits.maxInFlight ${n(s.limits.maxInFlight)} is below that: sessions will be dropped at the peak ` +
          `even against an instant server; raise it above ${n(need)}`);
      }
    }
    out.push(...officerLines, attempts);
    if (s.viewers.rate.length === 0) out.push('Viewers    none');
    else {
      const pts = s.viewers.rate.map((p) => `${p.value}/s at ${formatLocalTime(p.atMin)}`).join(' -> ');
      const m = s.viewers.mix;
      out.push(`Viewers    ${pts} (WIB, real seconds); mix progress ${pct(m.progress)}, hhcw ${pct(m.hhcw)}, wilayah ${pct(m.wilayah)}`);
    }
  } else if (s.executor === 'constant-rate') {
    const total = s.rate * (s.durationMs / 1000);
    out.push('');
    out.push(`Executor   constant-rate: ${s.rate} ${s.request} requests per second for ${formatDuration(s.durationMs)} ` +
      `(${n(total)} requests; open model: beyond ${n(s.limits.maxInFlight)} in flight a request is dropped, not delayed), ` +
      `then up to ${secs(s.drainS)} to drain`);
    out.push(...rateRequestLines(s.request));
  } else {
    let rate = s.startRate;
    let total = 0;
    const steps = s.stages.map((st) => {
      total += ((rate + st.target) / 2) * (st.durationMs / 1000);
      rate = st.target;
      return `${st.target}/s over ${formatDuration(st.durationMs)}`;
    });
    const runS = s.stages.reduce((a, st) => a + st.durationMs, 0) / 1000;
    out.push('');
    out.push(`Executor   ramping-rate: ${s.request} requests from ${s.startRate}/s, then ${steps.join(', then ')} ` +
      `(${secs(runS)}, about ${n(total)} requests; open model, at most ${n(s.limits.maxInFlight)} in flight), ` +
      `then up to ${secs(s.drainS)} to drain`);
    out.push(...rateRequestLines(s.request));
  }
  const unit = s.executor === 'election-day' ? 'sessions' : 'requests';
  out.push(`Limits     at most ${n(s.limits.maxInFlight)} ${unit} in flight over ${n(s.limits.connections)} connections; ` +
    `timeline interval ${secs(s.intervalS)}`);
  out.push('Thresholds');
  out.push(...thresholdLines(s));
  return out.join('\n');
}
