// A canary for the machine's own speed, run beside a soak (plain .mjs: no loader in the
// measured process). Every 100 ms it does the same fixed work (sha256 of 64 KB, ~1 ms here)
// and times it with the wall clock; once a second it prints one JSON line with the mean and
// worst duration and the worst wake-up lateness of its timer. On a virtual machine the host can
// take a core away for a while; then this fixed work takes longer too, whatever the soaked
// processes do. Cost: ~1% of one core. Stops after MAX_S seconds.
//   node bench/lib/canary.mjs [MAX_S]
import { createHash } from 'node:crypto';

const maxS = Number(process.argv[2] ?? 3600);
const buf = Buffer.alloc(64 * 1024, 7);
const ROUNDS = 16;
const work = () => {
  const t = performance.now();
  for (let i = 0; i < ROUNDS; i++) createHash('sha256').update(buf).digest();
  return performance.now() - t;
};
for (let i = 0; i < 50; i++) work(); // JIT warm-up

const t0 = performance.now();
let durations = [];
let worstLate = 0;
let due = performance.now() + 100;
const tick = () => {
  const now = performance.now();
  worstLate = Math.max(worstLate, now - due);
  durations.push(work());
  if (durations.length >= 10) {
    const mean = durations.reduce((a, b) => a + b, 0) / durations.length;
    process.stdout.write(`${JSON.stringify({ t_s: Math.round((now - t0) / 1000), work_ms_mean: +mean.toFixed(3), work_ms_max: +Math.max(...durations).toFixed(3), wake_late_ms_max: +worstLate.toFixed(2) })}\n`);
    durations = [];
    worstLate = 0;
  }
  if (now - t0 > maxS * 1000) process.exit(0);
  due += 100;
  setTimeout(tick, Math.max(0, due - performance.now()));
};
setTimeout(tick, 100);
process.on('SIGTERM', () => process.exit(0));
