/**
 * How busy one CPU was over a span, from /proc/stat (Linux): the share of its time not idle
 * (user, system, interrupts, softirq; loopback's network work lands there too). P1 uses it
 * on the target's core: when that core is ~100% busy, every generator is measuring the
 * target's ceiling, not its own.
 */
import { readFileSync } from 'node:fs';

function ticks(core: number): { busy: number; total: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n').find((l) => l.startsWith(`cpu${core} `));
    if (!line) return null;
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (f[3] ?? 0) + (f[4] ?? 0); // idle + iowait
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0); // guest time is already in user
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/** Starts measuring `core`; the returned function gives its busy share (0..1) since, or NaN off Linux. */
export function coreBusy(core: number): () => number {
  const a = ticks(core);
  return () => {
    const b = ticks(core);
    if (!a || !b || b.total === a.total) return NaN;
    return (b.busy - a.busy) / (b.total - a.total);
  };
}
