/** `ujibeban deploy k8s`: prints Kubernetes manifests that run a scenario as N segments. */
import type { Command } from 'commander';
import { K8S_DEFAULTS, renderK8s } from '../../deploy/k8s.js';
import { UsageError } from '../errors.js';

function wholeNumber(flag: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag}: expected a whole number >= 1, got "${v}"`);
    return n;
  };
}

export function register(program: Command): void {
  const deploy = program.command('deploy').description('render deployment manifests for multi-machine runs');
  deploy
    .command('k8s')
    .description('Kubernetes Indexed Job (one pod per segment) + merge Job, on a shared volume; prints YAML')
    .requiredOption('--segments <n>', 'number of segments (pods)', wholeNumber('--segments'))
    .requiredOption('--scenario <name>', 'shipped scenario name or a path inside the image')
    .requiredOption('--target <url>', 'the server under test (reachable from the pods)')
    .option('--start-at <iso>', 'instant every segment starts on (default: now + 5 minutes)')
    .option('--image <image>', 'container image with ujibeban installed', K8S_DEFAULTS.image)
    .option('--namespace <ns>', 'namespace', K8S_DEFAULTS.namespace)
    .option('--name <name>', 'name prefix of the Jobs and the volume', K8S_DEFAULTS.name)
    .option('--storage <size>', 'size of the shared results volume', K8S_DEFAULTS.storage)
    .option('--wait <seconds>', 'longest the merge Job waits for the segments', wholeNumber('--wait'), K8S_DEFAULTS.waitS)
    .argument('[run-args...]', 'extra `ujibeban run` arguments after --, e.g. -- --time-scale 60')
    .action((runArgs: string[], o: Record<string, string | number>) => {
      const startAt = (o.startAt as string | undefined) ?? new Date(Date.now() + 5 * 60_000).toISOString();
      if (Number.isNaN(Date.parse(startAt))) throw new UsageError(`--start-at: expected an ISO instant like 2026-11-27T13:00:00Z, got "${startAt}"`);
      process.stdout.write(renderK8s({
        segments: o.segments as number, scenario: o.scenario as string, target: o.target as string,
        startAt, image: o.image as string, namespace: o.namespace as string, name: o.name as string,
        storage: o.storage as string, waitS: o.wait as number, extraArgs: runArgs,
      }));
    });
}
