/**
 * The page shell shared by report.html and compare.html: uPlot's JS and CSS inlined from
 * node_modules at render time (the file must open offline, from file://, years later), the
 * data inlined as JSON, and a stylesheet that reads well on a laptop and on paper.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { CLIENT_JS } from './client.js';
import type { ChartContext, ChartSpec } from './charts.js';

const require = createRequire(import.meta.url);

let assets: { js: string; css: string } | null = null;

/** uPlot's minified IIFE build and stylesheet, read once per process. */
export function uplotAssets(): { js: string; css: string } {
  if (!assets) {
    assets = {
      js: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
      css: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
    };
  }
  return assets;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** JSON that is safe inside a <script> element (no "</script>", no HTML comment openers). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Inline script text cannot contain "</script" whatever its origin. */
function inlineScript(source: string): string {
  return source.replace(/<\/script/gi, '<\\/script');
}

export function chartBlock(spec: ChartSpec): string {
  return `<figure class="chart">
  <figcaption><h3>${escapeHtml(spec.title)}</h3><p class="note">${escapeHtml(spec.note)}</p></figcaption>
  <div class="plot" id="${escapeHtml(spec.id)}" data-chart></div>
</figure>`;
}

const CSS = `
:root { --fg: #212529; --muted: #6c757d; --line: #dee2e6; --bg: #fff; --pass: #2b8a3e; --fail: #c92a2a; --warn: #e67700; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: var(--fg); background: #f8f9fa; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 14px; margin: 0; }
.sub { color: var(--muted); margin: 0 0 16px; }
.verdict { border-radius: 8px; padding: 14px 18px; color: #fff; margin: 12px 0 16px; }
.verdict.pass { background: var(--pass); }
.verdict.fail { background: var(--fail); }
.verdict .word { font-size: 26px; font-weight: 700; letter-spacing: .04em; margin-right: 10px; }
.verdict ul { margin: 8px 0 0; padding-left: 20px; }
.badge { display: inline-block; border-radius: 4px; padding: 1px 7px; font-size: 12px; font-weight: 600; vertical-align: middle; }
.badge.partial { background: #fff3bf; color: #5c3c00; border: 1px solid #e67700; }
.badge.pass { background: #d3f9d8; color: #2b8a3e; }
.badge.fail { background: #ffe3e3; color: #c92a2a; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 10px; }
.card { background: var(--bg); border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
.card .k { color: var(--muted); font-size: 12px; }
.card .v { font-size: 20px; font-weight: 600; font-variant-numeric: tabular-nums; }
table { border-collapse: collapse; width: 100%; background: var(--bg); border: 1px solid var(--line); font-variant-numeric: tabular-nums; }
th, td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { background: #f1f3f5; font-weight: 600; font-size: 13px; }
td.num, th.num { text-align: right; }
table.sortable th { cursor: pointer; user-select: none; }
table.sortable th::after { content: " \\2195"; color: #adb5bd; }
table.sortable th[aria-sort="ascending"]::after { content: " \\2191"; color: var(--fg); }
table.sortable th[aria-sort="descending"]::after { content: " \\2193"; color: var(--fg); }
tr.fail td { background: #fff5f5; }
.bar { display: inline-block; height: 8px; background: #1f6feb; border-radius: 2px; vertical-align: middle; margin-right: 6px; }
.charts { display: grid; grid-template-columns: 1fr; gap: 14px; }
figure.chart { margin: 0; background: var(--bg); border: 1px solid var(--line); border-radius: 8px; padding: 12px 12px 4px; break-inside: avoid; page-break-inside: avoid; }
figcaption .note { color: var(--muted); font-size: 12px; margin: 2px 0 8px; }
.plot { width: 100%; min-height: 300px; }
.uplot { font-family: inherit; }
.u-legend { font-size: 12px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; background: var(--bg); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin: 0; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; word-break: break-word; }
footer { color: var(--muted); font-size: 12px; margin-top: 32px; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
@media (min-width: 1100px) { .charts.two { grid-template-columns: 1fr 1fr; } }
@media print {
  body { background: #fff; font-size: 11px; }
  main { max-width: none; padding: 0; }
  .verdict { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .charts, .charts.two { grid-template-columns: 1fr; }
  figure.chart, table, .cards { break-inside: avoid; page-break-inside: avoid; }
  h2 { break-after: avoid; page-break-after: avoid; }
  table.sortable th::after { content: ""; }
  .u-legend { font-size: 10px; }
}
`;

export interface PageParts {
  title: string;
  body: string;
  data: { ctx: ChartContext | Record<string, unknown>; charts: ChartSpec[] };
}

export function page({ title, body, data }: PageParts): string {
  const { js, css } = uplotAssets();
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="ujibeban">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style>${css}</style>
<style>${CSS}</style>
</head>
<body>
<main>
${body}
</main>
<script type="application/json" id="ujibeban-data">${scriptJson(data)}</script>
<script>${inlineScript(js)}</script>
<script>${inlineScript(CLIENT_JS)}</script>
</body>
</html>
`;
}
