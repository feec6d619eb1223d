/**
 * --segment K/N: split one plan across N load-generator processes. Segment K (1-based) takes
 * positions i with i mod N = K − 1 of every ordered sequence (each zone's officers, viewers,
 * executor hits), so every segment has the same shape over time and the N segments partition
 * the arrivals exactly. This file only parses and counts; the plan applies it.
 */
import type { Segment } from './types.js';

export const WHOLE: Segment = Object.freeze({ index: 1, count: 1 });

/** A bad --segment value; `code` is stable, the message names the value and what was expected. */
export class SegmentError extends RangeError {
  readonly code = 'ERR_BAD_SEGMENT';
  readonly field = '--segment';
  constructor(message: string) {
    super(message);
    this.name = 'SegmentError';
  }
}

const MAX_SEGMENTS = 10_000;

/** Parses "K/N" (1 <= K <= N <= 10,000). */
export function parseSegment(text: string): Segment {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) {
    throw new SegmentError(`--segment "${text}": expected K/N with whole numbers, e.g. 2/4 (the second of four segments)`);
  }
  return checkSegment({ index: Number(m[1]), count: Number(m[2]) }, text);
}

/** Validates a Segment built in code (same rules and messages as parseSegment). */
export function checkSegment(s: Segment, text = `${s.index}/${s.count}`): Segment {
  if (!Number.isInteger(s.count) || s.count < 1 || s.count > MAX_SEGMENTS) {
    throw new SegmentError(`--segment "${text}": expected N (the segment count) between 1 and ${MAX_SEGMENTS}, got ${s.count}`);
  }
  if (!Number.isInteger(s.index) || s.index < 1 || s.index > s.count) {
    throw new SegmentError(`--segment "${text}": expected K between 1 and N (${s.count}), got ${s.index}`);
  }
  return { index: s.index, count: s.count };
}

/** The first position (0-based) this segment takes. */
export function firstPosition(s: Segment): number {
  return s.index - 1;
}

/** Whether position i belongs to segment s. */
export function inSegment(i: number, s: Segment): boolean {
  return i % s.count === s.index - 1;
}

/** How many of the positions 0..m−1 belong to segment s. */
export function countInSegment(m: number, s: Segment): number {
  const first = s.index - 1;
  if (m <= first) return 0;
  return Math.floor((m - 1 - first) / s.count) + 1;
}

export function formatSegment(s: Segment): string {
  return `${s.index}/${s.count}`;
}
