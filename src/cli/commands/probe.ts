/**
 * `ujibeban probe`: a closed-model capacity search (autocannon) over connection steps, to
 * find an endpoint's knee before choosing open-model rates. Starts the embedded mock when no
 * --target is given. Prints a table and writes the steps as JSON.
 */
import type { Command } from 'commander';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { DEFAULT_PIN_SECRET, isElectionId } from '../../domain/index.js';
import { tryParseDuration, DURATION_EXPECTED } from '../../scenario/duration.js';
import { send } from '../../../loadgen/http/send.js';
import { createTransport } from '../../../loadgen/http/transport.js';
import { mockProfile } from '../../../loadgen/profiles/mock.js';
import { loadProfile, type TargetMeta, type TargetProfile } from '../../../loadgen/profile.js';
import { formatProbe, probeRequest, runProbe, type ProbeEndpoint } from '../../../loadgen/probe.js';
import { startEmbeddedServer, type EmbeddedServer } from '../../../server/embedded.js';
import { EXIT, RunFailure, UsageError } from '../errors.js';
import { checkTarget } from '../target.js';

export interface ProbeFlags {
  target?: string;
  allowRemote?: boolean;
  targetProfile?: string;
  endpoint: string;
  connections: string;
  duration: string;
  out?: string;
  election: string;
  scale: string;
  pinSecret?: string;
}

const ENDPOINTS: readonly ProbeEndpoint[] = ['read:progress', 'login', 'upload'];

export function register(program: Command): void {
  program
    .command('probe')
    .description('Closed-model capacity search (autocannon) over connection steps: throughput, p99 and the knee')
    .option('--target <url>', 'server to probe (loopback only); default: the embedded mock server')
    .option('--allow-remote', 'allow a --target that is not loopback (a staging server you own)')
    .option('--target-profile <file>', 'a .js/.ts target profile module (default: the mock API)')
    .option('--endpoint <kind>', `one of ${ENDPOINTS.join(', ')}`, 'read:progress')
    .option('--connections <list>', 'comma-separated connection steps', '8,16,32,64')
    .option('--duration <d>', 'duration of each step', '5s')
    .option('--out <file>', 'JSON output (default reports/probe-<endpoint>-<timestamp>.json)')
    .option('--election <id>', 'embedded mock only: election', 'pilkada-2024')
    .option('--scale <f>', 'embedded mock only: scale', '0.01')
    .option('--pin-secret <s>', 'PIN secret of the target')
    .action(async (flags: ProbeFlags) => {
      process.exitCode = await probeCommand(flags);
    });
}

export async function probeCommand(flags: ProbeFlags, log: (s: string) => void = (s) => process.stdout.write(`${s}\n`)): Promise<number> {
  const endpoint = flags.endpoint as ProbeEndpoint;
  if (!ENDPOINTS.includes(endpoint)) throw new UsageError(`--endpoint: expected one of ${ENDPOINTS.join(', ')}, got "${flags.endpoint}"`);
  const steps = flags.connections.split(',').map((s) => Number(s.trim()));
  if (steps.length === 0 || steps.some((n) => !Number.isInteger(n) || n < 1 || n > 10_000)) {
    throw new UsageError(`--connections: expected comma-separated whole numbers like 8,16,32,64, got "${flags.connections}"`);
  }
  const ms = tryParseDuration(flags.duration);
  if (ms === null || ms < 1000) throw new UsageError(`--duration: expected ${DURATION_EXPECTED} (at least 1s), got "${flags.duration}"`);
  if (flags.target !== undefined) checkTarget(flags.target, flags.allowRemote === true);
  if (!isElectionId(flags.election)) throw new UsageError(`--election: expected pilkada-2024 or pemilu-2024, got "${flags.election}"`);
  const scale = Number(flags.scale);
  if (!(scale > 0 && scale <= 1)) throw new UsageError(`--scale: expected a number in (0, 1], got "${flags.scale}"`);
  const profile: TargetProfile = flags.targetProfile ? await loadProfile(flags.targetProfile) : mockProfile;
  const pinSecret = flags.pinSecret ?? DEFAULT_PIN_SECRET;
  const out = resolve(flags.out ?? join('reports', `probe-${endpoint.replace(':', '-')}-${new Date().toISOString().replace(/[:.]/g, '')}.json`));

  let server: EmbeddedServer | null = null;
  let dbDir: string | null = null;
  try {
    let url = flags.target;
    if (url === undefined) {
      dbDir = await mkdtemp(join(tmpdir(), 'ujibeban-probe-'));
      server = await startEmbeddedServer({ election: flags.election, scale, seed: 1, db: join(dbDir, 'mock.sqlite'), pinSecret });
      url = server.url;
    }
    const meta = await readMeta(url, profile);
    const spec = await probeRequest(url, profile, meta, endpoint, pinSecret);
    log(`probing ${endpoint} (${spec.method} ${spec.path}) at ${url}: ${steps.join(', ')} connections, ${ms / 1000} s each`);
    const result = await runProbe(url, spec, endpoint, steps, ms / 1000, (s) =>
      log(`  ${s.connections} connections: ${s.rps.toFixed(0)} req/s, p99 ${s.p99Ms.toFixed(1)} ms`));
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, `${JSON.stringify(result, null, 2)}\n`, 'utf8');
    log('');
    log(formatProbe(result));
    log(`wrote ${out}`);
    return EXIT.pass;
  } finally {
    await server?.close();
    if (dbDir) await rm(dbDir, { recursive: true, force: true });
  }
}

async function readMeta(url: string, profile: TargetProfile): Promise<TargetMeta> {
  if (!profile.meta || !profile.parseMeta) throw new UsageError('probe needs a target profile with meta() and parseMeta()');
  const pool = createTransport(url, { connections: 1, connectTimeoutMs: 3000 });
  try {
    const res = await send(pool, profile.meta({} as never), 5000);
    if (res.status === 0) throw new RunFailure(`target ${url} is unreachable (${res.code})`);
    const meta = profile.parseMeta(res);
    if (!meta) throw new RunFailure(`target ${url}: GET meta answered HTTP ${res.status} without the expected JSON`);
    return meta;
  } finally {
    await pool.destroy().catch(() => undefined);
  }
}
