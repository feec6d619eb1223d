// A trivial node:http target answering 204, run in its own process: `node node-204.mjs PORT`.
// Stops by itself after MAX_S seconds (default 600) so no benchmark leaves it behind.
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 0);
const maxS = Number(process.argv[3] ?? 600);
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => { res.statusCode = 204; res.end(); });
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`${server.address().port}\n`);
});
setTimeout(() => process.exit(0), maxS * 1000).unref();
process.on('SIGTERM', () => process.exit(0));
