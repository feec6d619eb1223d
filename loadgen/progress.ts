/**
 * The live display: in a TTY one block redrawn in place (simulated clock, completion against
 * the next checkpoint, offered and achieved rate, p99, errors, dropped); otherwise one plain
 * line per period, which CI logs keep readable. `--no-progress` passes no reporter at all.
 */
import { formatLocalTime } from '../src/domain/zones.js';

export interface ProgressSnapshot {
  /** Real seconds since the origin. */
  tS: number;
  durationS: number;
  /** Simulated seconds since 00:00 WIB, or null for executors. */
  simS: number | null;
  completed: number;
  total: number;
  next: { at: string; target: number } | null;
  /** Arrivals and requests per second over the last period. */
  offeredPerS: number;
  achievedPerS: number;
  p99Ms: number;
  errors: number;
  requests: number;
  dropped: number;
  inFlight: number;
  phase: 'running' | 'draining' | 'stopping';
}

export interface ProgressReporter {
  update(p: ProgressSnapshot): void;
  done(): void;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const num = (x: number): string => (x >= 100 ? Math.round(x).toString() : x.toFixed(1));

export function progressLines(p: ProgressSnapshot): string[] {
  const clock = p.simS !== null ? `sim ${formatLocalTime(p.simS / 60)} WIB  ` : '';
  const share = p.total > 0 ? p.completed / p.total : 0;
  const next = p.next ? `  next ${p.next.at} target ${pct(p.next.target)}` : '';
  return [
    `${clock}t ${p.tS.toFixed(0)}/${p.durationS.toFixed(0)} s  [${p.phase}]  TPS ${p.completed}/${p.total} (${pct(share)})${next}`,
    `offered ${num(p.offeredPerS)}/s  achieved ${num(p.achievedPerS)}/s  p99 ${num(p.p99Ms)} ms  ` +
      `errors ${p.errors}/${p.requests}  dropped ${p.dropped}  in-flight ${p.inFlight}`,
  ];
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  const tty = Boolean(stream.isTTY);
  let drawn = 0;
  let lastPlain = -Infinity;
  return {
    update(p) {
      const lines = progressLines(p);
      if (tty) {
        if (drawn > 0) stream.write(`\x1b[${drawn}A`);
        stream.write(lines.map((l) => `\x1b[2K${l}\n`).join(''));
        drawn = lines.length;
      } else if (p.tS - lastPlain >= 10) {
        // Plain logs: one line every 10 s of real time.
        lastPlain = p.tS;
        stream.write(`${lines.join('  |  ')}\n`);
      }
    },
    done() {
      drawn = 0;
    },
  };
}
