/**
 * `ujibeban server`: runs the mock recap server in the foreground. Prints its URL and admin
 * token, and on SIGTERM/SIGINT stops accepting, lets in-flight uploads finish and commit, and
 * closes the database. Binds to loopback unless --allow-remote: the mock holds no real
 * credentials (public PIN secret by default) and must not be reachable by accident.
 */
import type { Command } from 'commander';
import type { ServerOptions } from '../../../server/app.js';
import { startEmbeddedServer, type EmbeddedServer } from '../../../server/embedded.js';
import type { FaultConfig } from '../../../server/faults/config.js';
import { faultConfigError } from '../../../server/faults/config.js';
import { DEFAULT_DB } from '../../../server/options.js';
import { isElectionId, type Distribution, type ElectionId } from '../../domain/index.js';
import { DURATION_EXPECTED, tryParseDuration } from '../../scenario/duration.js';
import { loadScenario } from '../../scenario/load.js';
import { UsageError } from '../errors.js';

export interface ServerFlags {
  host: string;
  port: string;
  allowRemote?: boolean;
  db: string;
  scenario?: string;
  election?: string;
  regions?: string;
  scale?: string;
  seed?: string;
  pinSecret?: string;
  tokenSecret?: string;
  adminToken?: string;
  tokenTtl?: string;
  keepPhotos?: string;
  latency?: string;
  errorRate?: string;
  stallEvery?: string;
  stallFor?: string;
  maxInFlight?: string;
  retryAfter?: string;
  loginLatency?: string;
  loginErrorRate?: string;
  loginMaxInFlight?: string;
  groupCommit: boolean;
  commitThread?: boolean;
  logLevel: string;
}

const LATENCY_EXPECTED = 'fixed:MS, uniform:MIN,MAX or lognormal:MEDIAN,SIGMA (milliseconds)';

/** "fixed:50", "uniform:10,200", "lognormal:80,0.5" -> a Distribution. */
export function parseLatency(flag: string, v: string): Distribution {
  const m = /^(fixed|uniform|lognormal):([^,]+)(?:,(.+))?$/.exec(v.trim());
  const a = m ? Number(m[2]) : NaN;
  const b = m?.[3] !== undefined ? Number(m[3]) : NaN;
  const bad = (): never => {
    throw new UsageError(`${flag}: expected ${LATENCY_EXPECTED}, got "${v}"`);
  };
  if (!m || !Number.isFinite(a) || a < 0) return bad();
  if (m[1] === 'fixed') return m[3] === undefined ? { fixed: a } : bad();
  if (!Number.isFinite(b) || b < 0) return bad();
  if (m[1] === 'uniform') return b >= a ? { uniform: { min: a, max: b } } : bad();
  return { lognormal: { median: a, sigma: b } };
}

function number(flag: string, v: string | undefined, check: (n: number) => boolean, expected: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || !check(n)) throw new UsageError(`${flag}: expected ${expected}, got "${v}"`);
  return n;
}
const share = (flag: string, v: string | undefined) => number(flag, v, (n) => n >= 0 && n <= 1, 'a share between 0 and 1');
const whole = (flag: string, v: string | undefined, min = 0) => number(flag, v, (n) => Number.isInteger(n) && n >= min, `a whole number >= ${min}`);

function duration(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const ms = tryParseDuration(v);
  if (ms === null) throw new UsageError(`${flag}: expected ${DURATION_EXPECTED}, got "${v}"`);
  return ms;
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The fault flags as a FaultConfig. */
export function faultsFromFlags(f: ServerFlags): FaultConfig {
  const faults: FaultConfig = {};
  if (f.latency !== undefined) faults.latency = parseLatency('--latency', f.latency);
  const errorRate = share('--error-rate', f.errorRate);
  if (errorRate !== undefined) faults.errorRate = errorRate;
  const everyMs = duration('--stall-every', f.stallEvery);
  const forMs = duration('--stall-for', f.stallFor);
  if ((everyMs === undefined) !== (forMs === undefined)) {
    throw new UsageError(`${everyMs === undefined ? '--stall-every' : '--stall-for'}: expected with ${everyMs === undefined ? '--stall-for' : '--stall-every'} (e.g. --stall-every 30s --stall-for 2s)`);
  }
  if (everyMs !== undefined && forMs !== undefined) {
    if (!(everyMs > 0 && forMs < everyMs)) throw new UsageError(`--stall-for: expected less than --stall-every (${f.stallEvery}), got "${f.stallFor}"`);
    faults.stall = { everyMs, forMs };
  }
  const cap = whole('--max-in-flight', f.maxInFlight, 1);
  if (cap !== undefined) faults.maxInFlightUploads = cap;
  const retryAfter = whole('--retry-after', f.retryAfter);
  if (retryAfter !== undefined) faults.retryAfterS = retryAfter;
  const login: NonNullable<FaultConfig['login']> = {};
  if (f.loginLatency !== undefined) login.latency = parseLatency('--login-latency', f.loginLatency);
  const loginRate = share('--login-error-rate', f.loginErrorRate);
  if (loginRate !== undefined) login.errorRate = loginRate;
  const loginCap = whole('--login-max-in-flight', f.loginMaxInFlight, 1);
  if (loginCap !== undefined) login.maxInFlight = loginCap;
  if (Object.keys(login).length > 0) faults.login = login;
  const problem = faultConfigError(faults);
  if (problem) throw new UsageError(`fault flags: ${problem}`);
  return faults;
}

function regionsFlag(v: string | undefined): 'all' | string[] | undefined {
  if (v === undefined) return undefined;
  if (v.trim() === 'all') return 'all';
  const codes = v.split(',').map((c) => c.trim()).filter(Boolean);
  const bad = codes.find((c) => !/^\d{2}(\d{2})?$/.test(c));
  if (codes.length === 0 || bad !== undefined) {
    throw new UsageError(`--regions: expected "all" or comma-separated 2-digit province / 4-digit kab/kota codes, got "${v}"`);
  }
  return codes;
}

/** Flags -> where to listen and the ServerOptions (throws UsageError naming the flag). */
export function serverOptionsFromFlags(f: ServerFlags): { host: string; port: number; options: ServerOptions } {
  const port = whole('--port', f.port)!;
  if (port > 65535) throw new UsageError(`--port: expected 0..65535, got "${f.port}"`);
  if (!isLoopbackHost(f.host) && !f.allowRemote) {
    throw new UsageError(`--host: "${f.host}" is not loopback; the mock has public PINs and an admin route, add --allow-remote if you mean it`);
  }
  const scale = number('--scale', f.scale, (n) => n > 0 && n <= 1, 'a number in (0, 1]');
  const seed = whole('--seed', f.seed);
  let regions = regionsFlag(f.regions);
  let election: ElectionId;
  if (f.scenario !== undefined) {
    if (f.election !== undefined) throw new UsageError('--election: not with --scenario (the scenario names its election)');
    const { scenario } = loadScenario(f.scenario, { scale, seed });
    election = scenario.election;
    regions ??= scenario.regions;
    return finish(scenario.scale, scenario.seed);
  }
  if (f.election === undefined) throw new UsageError('--election: expected pilkada-2024 or pemilu-2024 (or give --scenario FILE)');
  if (!isElectionId(f.election)) throw new UsageError(`--election: expected pilkada-2024 or pemilu-2024, got "${f.election}"`);
  election = f.election;
  return finish(scale ?? 1, seed ?? 1);

  function finish(s: number, sd: number) {
    const options: ServerOptions = {
      election, regions: regions ?? 'all', scale: s, seed: sd, db: f.db,
      pinSecret: f.pinSecret, tokenSecret: f.tokenSecret, adminToken: f.adminToken, keepPhotos: f.keepPhotos,
      tokenTtlS: f.tokenTtl === undefined ? undefined : Math.max(1, Math.round(duration('--token-ttl', f.tokenTtl)! / 1000)),
      faults: faultsFromFlags(f),
      groupCommit: f.groupCommit,
      commitThread: f.commitThread === true,
      logger: { level: f.logLevel },
    };
    return { host: f.host, port, options };
  }
}

async function run(f: ServerFlags): Promise<void> {
  const { host, port, options } = serverOptionsFromFlags(f);
  let server: EmbeddedServer;
  try {
    // The server runs in a worker thread (embedded.ts says why); this thread prints and waits for signals.
    server = await startEmbeddedServer({ ...options, host, port });
  } catch (e) {
    // Hierarchy and database problems (unknown region code, a file made for another scenario), a port in use.
    throw new UsageError(`server: ${(e as Error).message}`);
  }
  process.stdout.write(
    `ujibeban mock server listening on ${server.url}\n` +
    `  ${options.election}, regions ${options.regions === 'all' ? 'all' : (options.regions as string[]).join(',')}, ` +
    `scale ${options.scale}, seed ${options.seed}: ${server.totalTps} TPS; db ${server.db}\n` +
    `  admin token: ${server.adminToken} (header x-admin-token, GET/PUT /admin/faults from loopback)\n`,
  );
  let stopping = false;
  // The server's thread dying on its own (an uncaught exception) must not leave a process that
  // looks alive and serves nothing.
  void server.ended.then((e) => {
    if (stopping) return;
    process.stderr.write(`ujibeban: the mock server's thread stopped${e ? `: ${e.message}` : ''}\n`);
    process.exit(1);
  });
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) {
        process.stderr.write(`${signal} again: exiting without draining\n`);
        process.exit(1);
      }
      stopping = true;
      process.stderr.write(`${signal}: draining in-flight requests, committing, closing the database\n`);
      void server.close().then(resolve);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}

export function register(program: Command): void {
  program
    .command('server')
    .description('run the mock Sirekap-style recap server (login, C1 uploads, progress, public JSON, faults)')
    .option('--host <host>', 'interface to listen on (loopback unless --allow-remote)', '127.0.0.1')
    .option('--allow-remote', 'allow a non-loopback --host')
    .option('--port <n>', 'port (0 picks a free one)', '3000')
    .option('--db <file>', 'SQLite file, or :memory:', DEFAULT_DB)
    .option('--scenario <file>', 'take election, regions, scale and seed from a scenario file or shipped name')
    .option('--election <name>', 'pilkada-2024 or pemilu-2024 (without --scenario)')
    .option('--regions <codes>', '"all" or comma-separated province / kab-kota codes (e.g. 62,3101)')
    .option('--scale <f>', 'share of the real TPS count, in (0, 1]')
    .option('--seed <n>', 'seed of the hierarchy (must match the load generator\'s)')
    .option('--pin-secret <s>', 'secret the officer PINs derive from (default: the public mock secret)')
    .option('--token-secret <s>', 'HMAC key of login tokens (default: random per start, so tokens die with the process; give one to keep them valid across restarts)')
    .option('--admin-token <t>', 'admin token (default: random, printed at start)')
    .option('--token-ttl <dur>', 'login token lifetime (default 12h)')
    .option('--keep-photos <dir>', 'write uploaded pages to DIR/{sha256}.jpg')
    .option('--latency <dist>', `latency added to API requests: ${LATENCY_EXPECTED}`)
    .option('--error-rate <r>', 'share of API requests answered 500 INJECTED_FAULT')
    .option('--stall-every <dur>', 'periodic stop-the-world: every DUR ...')
    .option('--stall-for <dur>', '... hold all requests for DUR')
    .option('--max-in-flight <n>', 'uploads handled at once; beyond, 503 OVERLOADED with Retry-After')
    .option('--retry-after <s>', 'Retry-After seconds sent with 503 (default 1)')
    .option('--login-latency <dist>', `latency added to logins: ${LATENCY_EXPECTED}`)
    .option('--login-error-rate <r>', 'share of logins answered 500 INJECTED_FAULT')
    .option('--login-max-in-flight <n>', 'logins handled at once; beyond, 503 OVERLOADED')
    .option('--no-group-commit', 'one transaction per upload (slower; for comparison)')
    .option('--commit-thread', 'commit on a writer thread, so fsync never stops the HTTP loop (for slow disks; costs CPU per upload)')
    .option('--log-level <level>', 'pino level: fatal, error, warn, info, debug', 'info')
    .action(async (f: ServerFlags) => {
      if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(f.logLevel)) {
        throw new UsageError(`--log-level: expected fatal, error, warn, info, debug, trace or silent, got "${f.logLevel}"`);
      }
      await run(f);
    });
}
