/**
 * Writing result.json. A result whose interval histograms were spilled to a temporary file
 * during the run (see spill.ts) carries `histograms.intervals: []` in memory, and the spill
 * is attached to it here; writeResultFile() streams the file, copying the intervals from the
 * spill into the JSON as it writes, so the process never holds them all at once. The text is
 * exactly what `JSON.stringify(result, null, 1)` gives for the same result with the intervals
 * in memory, plus a final newline (what `run` always wrote).
 */
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ResultV1 } from '../../src/result/types.js';
import type { IntervalSpill } from './spill.js';

/** JSON.stringify's indent for result.json (one space: readable, and ~25% smaller than two). */
export const RESULT_INDENT = 1;

const spills = new WeakMap<ResultV1, IntervalSpill>();

/** Marks `result`'s intervals as living in `spill` (toResult does this for a spilling recorder). */
export function attachSpill(result: ResultV1, spill: IntervalSpill): void {
  spills.set(result, spill);
}

/** The spill holding `result`'s intervals, or null when they are in `result.histograms.intervals`. */
export function spillOf(result: ResultV1): IntervalSpill | null {
  return spills.get(result) ?? null;
}

/**
 * Reads a spilled result's intervals back into `result.histograms.intervals` and removes the
 * spill (for in-process consumers that need the array, e.g. a worker posting its result for a merge).
 */
export async function materializeIntervals(result: ResultV1): Promise<ResultV1> {
  const spill = spills.get(result);
  if (!spill) return result;
  try {
    result.histograms.intervals = await spill.readAll();
  } finally {
    spills.delete(result);
    await spill.dispose();
  }
  return result;
}

/** Removes a result's spill without reading it (a run that fails before its result is written). */
export async function discardSpill(result: ResultV1 | null | undefined): Promise<void> {
  if (!result) return;
  const spill = spills.get(result);
  if (!spill) return;
  spills.delete(result);
  await spill.dispose();
}

/** result.json's text for an in-memory result. */
export function resultJson(result: ResultV1): string {
  return `${JSON.stringify(result, null, RESULT_INDENT)}\n`;
}

/**
 * Writes `result` to `file` as result.json. A spilled result is streamed (its intervals copied
 * from the spill) and its spill removed afterwards, also when the write fails.
 */
export async function writeResultFile(file: string, result: ResultV1): Promise<void> {
  const spill = spills.get(result);
  if (!spill) {
    await writeFile(file, resultJson(result), 'utf8');
    return;
  }
  try {
    await pipeline(Readable.from(streamResultJson(result, spill)), createWriteStream(file));
  } finally {
    spills.delete(result);
    await spill.dispose();
  }
}

/** The chunks of result.json with `histograms.intervals` read from `spill`. */
export async function* streamResultJson(result: ResultV1, spill: IntervalSpill): AsyncGenerator<string> {
  // Everything but the intervals, with a unique placeholder where the array goes.
  const marker = `\u0000spilled-intervals-${randomUUID()}`;
  const text = JSON.stringify({ ...result, histograms: { ...result.histograms, intervals: marker } }, null, RESULT_INDENT);
  const quoted = JSON.stringify(marker);
  const at = text.indexOf(quoted);
  if (at < 0 || text.indexOf(quoted, at + 1) >= 0) throw new Error('result.json: the intervals placeholder is not where expected');
  // The array's own indent is that of its key's line; its elements are one level deeper.
  const lineStart = text.lastIndexOf('\n', at) + 1;
  const indent = /^ */.exec(text.slice(lineStart, at))![0];
  const elementIndent = indent + ' '.repeat(RESULT_INDENT);
  yield text.slice(0, at);
  let buf = '';
  let n = 0;
  for await (const h of spill.entries()) {
    // A histogram map is flat and its strings hold no raw newline, so re-indenting is exact.
    buf += `${n === 0 ? '[\n' : ',\n'}${elementIndent}${JSON.stringify(h, null, RESULT_INDENT).replace(/\n/g, `\n${elementIndent}`)}`;
    n++;
    if (buf.length >= 1 << 16) { yield buf; buf = ''; }
  }
  buf += n === 0 ? '[]' : `\n${indent}]`;
  yield `${buf}${text.slice(at + quoted.length)}\n`;
}
