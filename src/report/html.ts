/**
 * report.html: one self-contained file an election IT team can open from a USB stick or a CI
 * artifact. Verdict first (goodput decides), then checkpoints and thresholds, then the charts
 * that explain them, then per-province detail and the run's metadata.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ResultV1, SeriesName } from '../result/types.js';
import { ZONES } from '../result/types.js';
import { reportCharts } from './charts.js';
import { duration, hhmm, int, ms, pct, runLine, thresholdValue } from './format.js';
import { chartBlock, escapeHtml as e, page } from './template.js';

function verdictBanner(r: ResultV1): string {
  const reasons = r.failures.length > 0 ? `<ul>${r.failures.map((f) => `<li>${e(f)}</li>`).join('')}</ul>` : '';
  const partial = r.partial ? ' <span class="badge partial" id="partial-marker">PARTIAL: interrupted run or missing segment</span>' : '';
  const why = r.pass ? 'every checkpoint and threshold held' : `${r.failures.length} reason${r.failures.length === 1 ? '' : 's'}`;
  return `<section class="verdict ${r.pass ? 'pass' : 'fail'}" id="verdict">
  <span class="word">${r.pass ? 'PASS' : 'FAIL'}</span> ${e(why)}${partial}
  ${reasons}
</section>`;
}

function card(label: string, value: string, id?: string): string {
  return `<div class="card"${id ? ` id="${id}"` : ''}><div class="k">${e(label)}</div><div class="v">${e(value)}</div></div>`;
}

function cards(r: ResultV1): string {
  const s = r.summary;
  const items = [
    s.tps.total > 0 ? card('TPS completed', `${int(s.tps.completed)} / ${int(s.tps.total)} (${pct(s.tps.completed / s.tps.total)})`) : '',
    card('Requests sent', int(s.requests.total)),
    card('Failed', `${int(s.requests.failed)} (${pct(s.requests.total > 0 ? s.requests.failed / s.requests.total : 0, 2)})`),
    card('Dropped arrivals', int(s.requests.dropped)),
    card('Latency p99 (all)', ms(s.latency_ms.p99)),
    card('Schedule lag p99', ms(s.schedule_lag_ms.p99)),
    card('Duration (real)', duration(s.duration_s)),
  ];
  return `<div class="cards">${items.join('')}</div>`;
}

function checkpointTable(r: ResultV1): string {
  if (r.checkpoints.length === 0) return '<p class="sub">This run has no completion checkpoints.</p>';
  const zones = ZONES.filter((z) => r.checkpoints.some((c) => (c.by_zone[z]?.total ?? 0) > 0));
  const rows = r.checkpoints.map((c) => `<tr class="${c.pass ? 'pass' : 'fail'}" data-checkpoint="${e(c.at)}">
  <td>${e(c.at)} ${r.meta.clock === 'local' ? 'local' : 'WIB'}</td><td class="num">${pct(c.target)}</td>
  <td class="num"><strong>${pct(c.achieved)}</strong></td><td class="num">${int(c.completed)} / ${int(c.total)}</td>
  ${zones.map((z) => { const bz = c.by_zone[z]; return `<td class="num">${bz.total > 0 ? pct(bz.completed / bz.total) : '-'}</td>`; }).join('')}
  <td><span class="badge ${c.pass ? 'pass' : 'fail'}">${c.pass ? 'PASS' : 'FAIL'}</span></td></tr>`).join('\n');
  return `<table id="checkpoints"><thead><tr><th>By</th><th class="num">Target</th><th class="num">Achieved</th><th class="num">TPS completed</th>
  ${zones.map((z) => `<th class="num">${z}</th>`).join('')}<th>Result</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function thresholdTable(r: ResultV1): string {
  if (r.thresholds.length === 0) return '<p class="sub">This run has no thresholds.</p>';
  const rows = r.thresholds.map((t) => `<tr class="${t.pass ? 'pass' : 'fail'}"><td>${e(t.metric)}</td><td><code>${e(t.expr)}</code></td>
  <td class="num">${e(thresholdValue(t.expr, t.value))}</td><td><span class="badge ${t.pass ? 'pass' : 'fail'}">${t.pass ? 'PASS' : 'FAIL'}</span></td></tr>`).join('\n');
  return `<table id="thresholds"><thead><tr><th>Metric</th><th>Expression</th><th class="num">Observed</th><th>Result</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function seriesTable(r: ResultV1): string {
  const entries = Object.entries(r.series) as Array<[SeriesName, NonNullable<ResultV1['series'][SeriesName]>]>;
  const row = (name: string, req: { total: number; failed: number }, l: ResultV1['summary']['latency_ms'], svc: ResultV1['summary']['latency_ms']): string =>
    `<tr><td>${e(name)}</td><td class="num">${int(req.total)}</td><td class="num">${int(req.failed)}</td>
    <td class="num">${ms(l.p50)}</td><td class="num">${ms(l.p90)}</td><td class="num">${ms(l.p95)}</td><td class="num">${ms(l.p99)}</td>
    <td class="num">${ms(l.p999)}</td><td class="num">${ms(l.max)}</td><td class="num">${ms(svc.p99)}</td></tr>`;
  return `<table id="series"><thead><tr><th>Series</th><th class="num">Requests</th><th class="num">Failed</th><th class="num">p50</th><th class="num">p90</th>
  <th class="num">p95</th><th class="num">p99</th><th class="num">p99.9</th><th class="num">max</th><th class="num">service p99</th></tr></thead>
  <tbody>${entries.map(([n, s]) => row(n, s.requests, s.latency_ms, s.service_time_ms)).join('')}
  ${row('all', r.summary.requests, r.summary.latency_ms, r.summary.service_time_ms)}</tbody></table>
  <p class="sub">Latency is measured from each request's intended send time (coordinated-omission free); service time from the actual send.</p>`;
}

function provinceTable(r: ResultV1): string {
  if (r.provinces.length === 0) return '';
  const rows = r.provinces.map((p) => {
    const share = p.total > 0 ? p.completed / p.total : 0;
    return `<tr><td data-value="${Number(p.code) || 0}">${e(p.code)}</td><td>${e(p.name)}</td><td>${e(p.zone)}</td>
    <td class="num" data-value="${p.total}">${int(p.total)}</td><td class="num" data-value="${p.completed}">${int(p.completed)}</td>
    <td class="num" data-value="${share.toFixed(6)}"><span class="bar" style="width:${Math.round(share * 60)}px"></span>${pct(share)}</td></tr>`;
  }).join('\n');
  return `<h2>Provinces</h2>
<p class="sub">TPS completed by the end of the run. Click a column header to sort.</p>
<table class="sortable" id="provinces"><thead><tr><th>Code</th><th>Province</th><th>Zone</th><th class="num">TPS</th><th class="num">Completed</th><th class="num">Share</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}

function metaList(r: ResultV1): string {
  const m = r.meta;
  const items: Array<[string, string]> = [
    ['Scenario', `${m.scenario}${m.scenario_file ? ` (${m.scenario_file})` : ''}`],
    ['Executor', m.executor],
    ['Election', m.election],
    ['Regions', m.regions === 'all' ? 'all' : m.regions.join(', ')],
    ['Scale', String(m.scale)],
    ['Seed', String(m.seed)],
    ['Time scale', m.executor === 'election-day' ? `${m.time_scale}x (1 real second = ${m.time_scale} simulated seconds)` : 'real time'],
    ['Clock', m.clock === 'local' ? 'local time per zone (WIB, WITA, WIT)' : 'WIB everywhere'],
    ['Window', m.window ? `${m.window.start}-${m.window.end}` : '-'],
    ['Simulated origin', m.sim_origin_s !== null ? `${hhmm(m.sim_origin_s)} WIB at t=0` : '-'],
    ['Target', `${m.target}${m.embedded_server ? ' (embedded mock server)' : ''}`],
    ['Segment', m.segment ? `${m.segment.index}/${m.segment.count}` : m.merged_from ? `merged from ${m.merged_from} segments` : 'whole run'],
    ['Started', m.started_at],
    ['Ended', m.ended_at],
    ['Clock offset', `${m.clock_offset_ms} ms`],
    ['Interval', `${m.interval_s} s`],
    ['Versions', Object.entries(m.versions).map(([k, v]) => `${k} ${v}`).join(', ')],
    ['Machine', `${m.machine.hostname} · ${m.machine.platform} · ${m.machine.cpus}x ${m.machine.cpu_model} · ${(m.machine.memory_bytes / 2 ** 30).toFixed(1)} GiB`],
    ['Uploads', `${int(r.summary.uploads.accepted)} accepted, ${int(r.summary.uploads.corrections)} corrections, ${int(r.summary.uploads.duplicates)} duplicates, ${int(r.summary.uploads.flagged)} flagged`],
    ['Rates', `offered ${r.summary.rate.offered_per_s.toFixed(2)}/s, achieved ${r.summary.rate.achieved_per_s.toFixed(2)}/s (mean over the run)`],
  ];
  return `<dl class="meta" id="meta">${items.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`).join('')}</dl>`;
}

export function renderHtml(result: ResultV1): string {
  const { ctx, charts } = reportCharts(result);
  const latency = charts.filter((c) => c.id.startsWith('chart-latency-'));
  const byId = (id: string): string => { const c = charts.find((x) => x.id === id); return c ? chartBlock(c) : ''; };
  const body = `<header>
  <h1>ujibeban report: ${e(result.meta.scenario)}</h1>
  <p class="sub">${e(runLine(result.meta))} · target ${e(result.meta.target)} · started ${e(result.meta.started_at)}</p>
</header>
${verdictBanner(result)}
${cards(result)}
<h2>Checkpoints</h2>
<p class="sub">Goodput decides: the share of TPS whose forms were all accepted by each local time.</p>
${checkpointTable(result)}
<h2>Thresholds</h2>
${thresholdTable(result)}
<h2>Progress</h2>
<div class="charts">${byId('chart-completion')}${byId('chart-throughput')}</div>
<h2>Latency</h2>
${seriesTable(result)}
<div class="charts two">${latency.map(chartBlock).join('')}${byId('chart-distribution')}${byId('chart-lag')}</div>
<h2>Errors and drops</h2>
<div class="charts two">${byId('chart-errors')}${byId('chart-dropped')}</div>
${provinceTable(result)}
<h2>Run</h2>
${metaList(result)}
<footer>Generated by ujibeban from <code>${e(result.schema)}</code>. Times on chart axes are simulated local time in WIB (HH:MM); the legend also shows real elapsed seconds.</footer>`;
  return page({ title: `${result.pass ? 'PASS' : 'FAIL'} · ${result.meta.scenario} · ujibeban`, body, data: { ctx, charts } });
}

/** Writes report.html (creating the folder); returns the path written. */
export async function writeReport(result: ResultV1, outFile: string): Promise<string> {
  await mkdir(dirname(outFile), { recursive: true });
  await writeFile(outFile, renderHtml(result), 'utf8');
  return outFile;
}
