/**
 * Plan memory and speed: builds and fully walks the pilkada-2024 national plan at scale 1 and
 * at scale 0.01, and prints time and heap/RSS deltas, to show that memory does not grow with
 * the TPS count. Also times the two permutations (Feistel vs Fisher–Yates) that could order
 * a zone. Run: node --expose-gc --import tsx bench/plan-memory.ts
 */
import { Hierarchy } from '../src/domain/index.js';
import type { ElectionDayScenario } from '../src/scenario/types.js';
import { buildPlan } from '../loadgen/plan/plan.js';
import { feistelPermutation, shuffledPermutation } from '../loadgen/plan/permutation.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  console.error('run with: node --expose-gc --import tsx bench/plan-memory.ts');
  process.exit(2);
}

const MB = (b: number) => `${(b / 1048576).toFixed(2)} MB`;

function scenario(scale: number): ElectionDayScenario {
  return {
    name: 'pilkada-2024-nasional', description: 'bench', election: 'pilkada-2024', executor: 'election-day',
    regions: 'all', scale, seed: 1, clock: 'local',
    window: { start: '13:00', end: '24:00', startMin: 780, endMin: 1440 },
    checkpoints: [{ at: '17:00', atMin: 1020, target: 0.8 }, { at: '24:00', atMin: 1440, target: 1 }],
    curve: [], timeScale: 60,
    viewers: { rate: [{ atMin: 780, value: 0 }, { atMin: 1140, value: 50 }, { atMin: 1440, value: 20 }], mix: { progress: 0.6, hhcw: 0.4, wilayah: 0 } },
    officers: {} as ElectionDayScenario['officers'],
    limits: { maxInFlight: 2000, connections: 128 }, thresholds: [], intervalS: 10, drainS: 30,
  };
}

function measure(scale: number): void {
  const h = new Hierarchy({ election: 'pilkada-2024', scale, seed: 1, regions: 'all' });
  h.zoneTotals();
  gc!();
  const before = process.memoryUsage();
  const t0 = performance.now();
  const plan = buildPlan(scenario(scale), h);
  const tBuild = performance.now() - t0;
  let n = 0;
  let checksum = 0;
  let peakHeap = 0;
  const t1 = performance.now();
  const it = plan.arrivals();
  for (let r = it.next(); !r.done; r = it.next()) {
    n++;
    checksum += r.value.tps;
    if ((n & 0xffff) === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed - before.heapUsed);
  }
  const tWalk = performance.now() - t1;
  // Two more walks: short walks are dominated by JIT warm-up; the best shows the steady state.
  let best = tWalk;
  for (let rep = 0; rep < 2; rep++) {
    const t = performance.now();
    const again = plan.arrivals();
    for (let r = again.next(); !r.done; r = again.next()) checksum -= 0;
    best = Math.min(best, performance.now() - t);
  }
  const t2 = performance.now();
  const d = plan.describe();
  const tDescribe = performance.now() - t2;
  gc!();
  const after = process.memoryUsage();
  console.log(`scale ${scale}: ${h.totalTps.toLocaleString()} TPS, ${n.toLocaleString()} arrivals (checksum ${checksum})`);
  console.log(`  build ${tBuild.toFixed(1)} ms, first walk ${tWalk.toFixed(1)} ms, best of 3 ${best.toFixed(1)} ms (${((best * 1e6) / n).toFixed(0)} ns/arrival), describe ${tDescribe.toFixed(1)} ms, peak ${d.peakPerS}/s`);
  console.log(`  retained after walk+GC: heap ${MB(after.heapUsed - before.heapUsed)}, rss ${MB(after.rss - before.rss)}, arrayBuffers ${MB(after.arrayBuffers - before.arrayBuffers)}`);
  console.log(`  heap growth sampled during the walk (garbage not yet collected): max ${MB(peakHeap)}`);
}

function permutations(): void {
  const n = 343_211; // WIB's pilkada TPS at scale 1
  for (const [name, make] of [['feistel', feistelPermutation], ['fisher-yates', shuffledPermutation]] as const) {
    gc!();
    const before = process.memoryUsage();
    const t0 = performance.now();
    const p = make(n, 12345);
    const tSetup = performance.now() - t0;
    let sum = 0;
    const t1 = performance.now();
    for (let i = 0; i < n; i++) sum += p.at(i);
    const tAll = performance.now() - t1;
    const held = process.memoryUsage();
    console.log(`${name.padEnd(12)} n=${n}: set-up ${tSetup.toFixed(2)} ms, ${n} lookups ${tAll.toFixed(2)} ms (${((tAll * 1e6) / n).toFixed(0)} ns each), holds ${MB(held.arrayBuffers - before.arrayBuffers)} in arrayBuffers (sum ${sum})`);
  }
}

// Warm up the JIT on a small plan first so both scales measure steady-state code.
buildPlan(scenario(0.01), new Hierarchy({ election: 'pilkada-2024', scale: 0.01, seed: 2, regions: 'all' })).describe();
console.log(`node ${process.version}`);
for (let round = 1; round <= 2; round++) {
  console.log(`-- round ${round}${round === 1 ? ' (includes JIT warm-up)' : ''}`);
  measure(0.01);
  measure(1);
  permutations();
}
