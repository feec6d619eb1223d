/**
 * The raw client's own ceiling: a closed loop of RawPool sends (the engine's HTTP client for
 * http:// targets, loadgen/http/raw-pool.ts) with C connections, a 10 s attempt timeout as the
 * engine uses, and no scheduler, recorder or sessions: the floor under the engine. Prints one
 * JSON line, as bench/lib/undici-loop.mjs does for undici.
 *
 *   node --import tsx bench/lib/raw-loop.ts URL SECONDS [CONNECTIONS=64]
 */
import { createTransport } from '../../loadgen/http/transport.js';
import type { HttpResult, RequestSpec } from '../../loadgen/http/types.js';

const [url = 'http://127.0.0.1:8080', secs = '10', conns = '64'] = process.argv.slice(2);
const t = createTransport(url, { connections: Number(conns) });
const spec: RequestSpec = { method: 'GET', path: '/api/v1/progress?region=62', headers: {}, body: null, parse: false };
let ok = 0;
let failed = 0;
const end = performance.now() + Number(secs) * 1000;
function done(r: HttpResult): void {
  if (r.status === 204 || r.status === 200) ok++;
  else failed++;
  one();
}
function one(): void {
  if (performance.now() < end) void t.send(spec, Number(process.env.RAW_LOOP_TIMEOUT ?? 10_000)).then(done);
}
const c0 = process.cpuUsage();
const t0 = performance.now();
for (let i = 0; i < Number(conns); i++) one();
setTimeout(() => {
  const c = process.cpuUsage(c0);
  const s = (performance.now() - t0) / 1000;
  process.stdout.write(`${JSON.stringify({ ok, failed, seconds: s, achieved_per_s: ok / s, cpu_us_per_req: (c.user + c.system) / ok })}\n`);
  void t.destroy();
}, Number(secs) * 1000 + 100);
