// undici's own ceiling: a closed loop of Pool.dispatch calls with an empty handler, C
// connections, no scheduler, recorder or sessions. The floor under ujibeban's engine (which
// sends through the same Pool); printed as one JSON line.
// Usage: node undici-loop.mjs URL SECONDS [CONNECTIONS=64]
import { Pool } from 'undici';

const [url, secs = '10', conns = '64'] = process.argv.slice(2);
const pool = new Pool(url, { connections: Number(conns), pipelining: 1 });
let ok = 0;
const end = performance.now() + Number(secs) * 1000;
const handler = {
  onConnect() {}, onHeaders() { return true; }, onData() { return true; },
  onComplete() { ok++; one(); }, onError(e) { process.stderr.write(`${e}\n`); },
};
function one() {
  if (performance.now() < end) pool.dispatch({ method: 'GET', path: '/api/v1/progress?region=62', headers: {} }, handler);
}
const c0 = process.cpuUsage();
const t0 = performance.now();
for (let i = 0; i < Number(conns); i++) one();
setTimeout(() => {
  const c = process.cpuUsage(c0);
  const s = (performance.now() - t0) / 1000;
  process.stdout.write(`${JSON.stringify({ ok, seconds: s, achieved_per_s: ok / s, cpu_us_per_req: (c.user + c.system) / ok })}\n`);
  void pool.destroy();
}, Number(secs) * 1000 + 100);
