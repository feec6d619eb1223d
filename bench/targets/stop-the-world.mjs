// A target that stops the world for STALL_MS every EVERY_MS (busy-waiting its event loop, like
// a long GC pause), answering 204 otherwise: the coordinated-omission test of wrk2's README.
// At a constant rate, 1 s every 10 s gives latencies p95 500 ms, p99 900 ms, p99.9 990 ms.
// Usage: node stop-the-world.mjs PORT [EVERY_MS=10000] [STALL_MS=1000] [MAX_S=600]
import { createServer } from 'node:http';

const [port = 0, every = 10_000, stall = 1_000, maxS = 600] = process.argv.slice(2).map(Number);
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => { res.statusCode = 204; res.end(); });
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`${server.address().port}\n`);
  const t0 = Date.now();
  // The first stall starts after one quiet period, then repeats on a fixed grid.
  const tick = (k) => {
    const next = t0 + k * every;
    setTimeout(() => {
      const until = Date.now() + stall;
      while (Date.now() < until) { /* the world stops */ }
      tick(k + 1);
    }, Math.max(0, next - Date.now()));
  };
  tick(1);
});
setTimeout(() => process.exit(0), maxS * 1000).unref();
process.on('SIGTERM', () => process.exit(0));
