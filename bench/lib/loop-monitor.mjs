// Event-loop delay and GC pauses of a process, recorded from outside its code: a preload
// (`node --import <this file> ...`, see spawnCli's `monitor` option in cli-process.ts) that
// does nothing unless UJIBEBAN_LOOP_MONITOR names a file. Plain .mjs: no loader involved.
//
// Every UJIBEBAN_LOOP_MONITOR_MS (default 1000) it appends one JSON line to that file:
//   { t_ms, span_ms, pid, eld_ms: { p50, p99, max, n }, gc: { n, total_ms, max_ms, by_kind },
//     cpu_share, rss_mb, heap_mb }
// t_ms: wall clock (epoch ms) at the end of the span the line covers. eld_ms: how late the
// monitor's 10 ms timer fired (perf_hooks monitorEventLoopDelay, its period subtracted): a
// loop blocked 80 ms shows max ≈ 80. gc: the pauses (PerformanceObserver 'gc') that *ended*
// in the span; by_kind: { minor | major | incremental | weakcb: { n, total_ms, max_ms } };
// cpu_share: the process's CPU time (user + system, all threads) over the span / the span.
// Cost: a 10 ms timer and one small write a second. Main thread only: Node 20 runs --import
// preloads in no worker thread (so it cannot watch the mock, which serves from one). The timer
// is unref'd: it never keeps a process alive.
import { createWriteStream } from 'node:fs';
import { monitorEventLoopDelay, PerformanceObserver, constants } from 'node:perf_hooks';
import { isMainThread } from 'node:worker_threads';

const file = process.env.UJIBEBAN_LOOP_MONITOR;
if (isMainThread && file) {
  const everyMs = Math.max(100, Number(process.env.UJIBEBAN_LOOP_MONITOR_MS ?? 1000) || 1000);
  const RESOLUTION_MS = 10;
  const out = createWriteStream(file, { flags: 'a' });
  out.on('error', () => undefined); // a full disk must not take the measured process down
  const eld = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  eld.enable();

  const KIND = {
    [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
    [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
    [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
    [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
  };
  let gc = { n: 0, total_ms: 0, max_ms: 0, by_kind: {} };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = KIND[e.detail?.kind ?? e.kind] ?? 'other';
      const k = (gc.by_kind[kind] ??= { n: 0, total_ms: 0, max_ms: 0 });
      gc.n++; k.n++;
      gc.total_ms += e.duration; k.total_ms += e.duration;
      if (e.duration > gc.max_ms) gc.max_ms = e.duration;
      if (e.duration > k.max_ms) k.max_ms = e.duration;
    }
  }).observe({ entryTypes: ['gc'] });

  const ms = (ns) => Math.max(0, Math.round((ns / 1e6 - RESOLUTION_MS) * 1000) / 1000);
  const r3 = (x) => Math.round(x * 1000) / 1000;
  let last = Date.now();
  let lastCpu = process.cpuUsage();
  const timer = setInterval(() => {
    const now = Date.now();
    const n = eld.count;
    const cpu = process.cpuUsage(lastCpu);
    const line = {
      t_ms: now, span_ms: now - last, pid: process.pid,
      eld_ms: n > 0 ? { p50: ms(eld.percentile(50)), p99: ms(eld.percentile(99)), max: ms(eld.max), n } : { p50: null, p99: null, max: null, n: 0 },
      gc: { n: gc.n, total_ms: r3(gc.total_ms), max_ms: r3(gc.max_ms), by_kind: Object.fromEntries(Object.entries(gc.by_kind).map(([k, v]) => [k, { n: v.n, total_ms: r3(v.total_ms), max_ms: r3(v.max_ms) }])) },
      cpu_share: Math.round((cpu.user + cpu.system) / 10 / Math.max(1, now - last)) / 100,
      rss_mb: Math.round(process.memoryUsage.rss() / 104857.6) / 10,
      heap_mb: Math.round(process.memoryUsage().heapUsed / 104857.6) / 10,
    };
    eld.reset();
    gc = { n: 0, total_ms: 0, max_ms: 0, by_kind: {} };
    last = now;
    lastCpu = process.cpuUsage();
    out.write(`${JSON.stringify(line)}\n`);
  }, everyMs);
  timer.unref();
}
