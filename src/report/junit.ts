/**
 * JUnit XML for CI test reporters: one testcase per checkpoint and per threshold, so a failed
 * nightly run shows up as named failing tests with the observed value in the message.
 */
import type { ResultV1 } from '../result/types.js';
import { pct, thresholdValue } from './format.js';
import { checkpointFailure, thresholdFailure } from './verdict.js';

/** Escapes text for XML content and attribute values (and drops characters XML 1.0 forbids). */
export function xmlEscape(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

interface Case { classname: string; name: string; failure?: { type: string; message: string; detail: string } }

function renderCase(c: Case): string {
  const open = `    <testcase classname="${xmlEscape(c.classname)}" name="${xmlEscape(c.name)}" time="0"`;
  if (!c.failure) return `${open}/>`;
  return `${open}>\n      <failure type="${xmlEscape(c.failure.type)}" message="${xmlEscape(c.failure.message)}">` +
    `${xmlEscape(c.failure.detail)}</failure>\n    </testcase>`;
}

export function renderJunit(result: ResultV1): string {
  const cases: Case[] = [];
  for (const c of result.checkpoints) {
    const zones = Object.entries(c.by_zone).filter(([, z]) => z.total > 0)
      .map(([zone, z]) => `${zone}: ${z.completed}/${z.total} (${pct(z.completed / z.total)})`).join(', ');
    cases.push({
      classname: 'ujibeban.checkpoints',
      name: `${c.at} at least ${pct(c.target)} of TPS completed`,
      failure: c.pass ? undefined : { type: 'checkpoint', message: checkpointFailure(c), detail: `by zone: ${zones}` },
    });
  }
  for (const t of result.thresholds) {
    cases.push({
      classname: `ujibeban.thresholds.${t.metric}`,
      name: `${t.metric} ${t.expr}`,
      failure: t.pass ? undefined : {
        type: 'threshold', message: thresholdFailure(t), detail: `observed ${thresholdValue(t.expr, t.value)} (raw ${t.value})`,
      },
    });
  }
  if (result.partial) {
    cases.push({
      classname: 'ujibeban.run', name: 'run complete (not partial)',
      failure: { type: 'partial', message: 'partial result: the run was interrupted or a segment is missing', detail: '' },
    });
  }
  const failures = cases.filter((c) => c.failure).length;
  const time = result.summary.duration_s.toFixed(3);
  const suiteName = `ujibeban ${result.meta.scenario}`;
  const props: Array<[string, string]> = [
    ['scenario', result.meta.scenario], ['election', result.meta.election], ['scale', String(result.meta.scale)],
    ['seed', String(result.meta.seed)], ['target', result.meta.target], ['pass', String(result.pass)],
    ['partial', String(result.partial)],
  ];
  if (result.meta.segment) props.push(['segment', `${result.meta.segment.index}/${result.meta.segment.count}`]);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="ujibeban" tests="${cases.length}" failures="${failures}" errors="0" time="${time}">`,
    `  <testsuite name="${xmlEscape(suiteName)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" ` +
      `time="${time}" timestamp="${xmlEscape(result.meta.started_at)}" hostname="${xmlEscape(result.meta.machine.hostname)}">`,
    '    <properties>',
    ...props.map(([k, v]) => `      <property name="${xmlEscape(k)}" value="${xmlEscape(v)}"/>`),
    '    </properties>',
    ...cases.map(renderCase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
