/**
 * Kubernetes manifests for a national uji beban run as N segments on many machines, using
 * Kubernetes' own Indexed Job (no coordinator of ours): pod index i runs segment i+1 of N of
 * the same plan, all starting on one instant (--start-at), writing result.json to a shared
 * volume; a second Job merges the segments into one result and report.
 */
import { stringify } from 'yaml';
import { isLoopbackUrl } from '../cli/target.js';

export interface K8sOptions {
  /** Number of segments (pods), >= 1. */
  segments: number;
  /** Shipped scenario name or a path inside the image. */
  scenario: string;
  target: string;
  /** ISO instant every segment starts on. */
  startAt: string;
  image: string;
  namespace: string;
  /** Name prefix of the Jobs and the volume claim. */
  name: string;
  /** Size of the shared results volume. */
  storage: string;
  /** Longest the merge waits for the segments, seconds (the run's length plus margin). */
  waitS: number;
  /** Extra `ujibeban run` arguments, e.g. ["--time-scale", "60"]. */
  extraArgs: string[];
}

export const K8S_DEFAULTS = {
  image: 'ghcr.io/example/ujibeban:latest',
  namespace: 'ujibeban',
  name: 'ujibeban',
  storage: '2Gi',
  waitS: 86_400,
};

/** Quotes a word for sh: the pod's command line is one `sh -c` string. */
function shQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
}

export function k8sObjects(o: K8sOptions): object[] {
  if (!Number.isInteger(o.segments) || o.segments < 1) {
    throw new RangeError(`--segments: expected a whole number >= 1, got ${o.segments}`);
  }
  const labels = { 'app.kubernetes.io/name': 'ujibeban', 'app.kubernetes.io/instance': o.name };
  const results = { name: 'results', persistentVolumeClaim: { claimName: `${o.name}-results` } };
  const mount = { name: 'results', mountPath: '/results' };
  const runArgs = [
    'run', o.scenario, '--target', o.target, '--start-at', o.startAt,
    '--segment', `$((JOB_COMPLETION_INDEX + 1))/${o.segments}`,
    '--out', '/results/segment-$((JOB_COMPLETION_INDEX + 1))', '--no-progress', '--workers', '1',
    // A cluster's target is another machine: say so explicitly (run refuses it otherwise).
    ...(isLoopbackUrl(o.target) ? [] : ['--allow-remote']),
    ...o.extraArgs,
  ];
  // $((...)) must reach the shell unquoted; everything else is quoted.
  const runLine = 'ujibeban ' + runArgs.map((a) => (a.includes('$((') ? a : shQuote(a))).join(' ') +
    // Exit 99 (thresholds failed) is a result, not a pod failure: the merge decides the verdict.
    '; code=$?; [ "$code" = 99 ] && exit 0; exit $code';
  const pvc = {
    apiVersion: 'v1', kind: 'PersistentVolumeClaim',
    metadata: { name: `${o.name}-results`, namespace: o.namespace, labels },
    spec: { accessModes: ['ReadWriteMany'], resources: { requests: { storage: o.storage } } },
  };
  const load = {
    apiVersion: 'batch/v1', kind: 'Job',
    metadata: { name: `${o.name}-load`, namespace: o.namespace, labels },
    spec: {
      completionMode: 'Indexed',
      completions: o.segments,
      parallelism: o.segments,
      backoffLimit: 0,
      template: {
        metadata: { labels: { ...labels, 'ujibeban/role': 'segment' } },
        spec: {
          restartPolicy: 'Never',
          containers: [{
            name: 'segment', image: o.image,
            command: ['sh', '-c', runLine],
            resources: { requests: { cpu: '2', memory: '2Gi' }, limits: { memory: '4Gi' } },
            volumeMounts: [mount],
          }],
          volumes: [results],
        },
      },
    },
  };
  const countDone = `$(ls /results/segment-*/result.json 2>/dev/null | wc -l)`;
  // The merge Job is applied with the rest and waits (bounded) until every segment has written.
  const waitLine = `deadline=$(( $(date +%s) + ${o.waitS} )); ` +
    `until [ ${countDone} -ge ${o.segments} ]; do ` +
    `[ $(date +%s) -ge $deadline ] && echo "segments missing after ${o.waitS}s" && exit 1; sleep 10; done`;
  const merge = {
    apiVersion: 'batch/v1', kind: 'Job',
    metadata: { name: `${o.name}-merge`, namespace: o.namespace, labels },
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: o.waitS + 600,
      template: {
        metadata: { labels: { ...labels, 'ujibeban/role': 'merge' } },
        spec: {
          restartPolicy: 'Never',
          initContainers: [{
            name: 'wait-for-segments', image: o.image, command: ['sh', '-c', waitLine], volumeMounts: [mount],
          }],
          containers: [{
            name: 'merge', image: o.image,
            command: ['sh', '-c', 'ujibeban merge /results/segment-*/result.json --out /results/merged/result.json'],
            volumeMounts: [mount],
          }],
          volumes: [results],
        },
      },
    },
  };
  return [pvc, load, merge];
}

/** The manifests as one multi-document YAML file, ready for `kubectl apply -f -`. */
export function renderK8s(o: K8sOptions): string {
  const header = `# ujibeban: ${o.segments} segment(s) of ${o.scenario} against ${o.target}, starting ${o.startAt}\n` +
    `# kubectl apply -f this.yaml; kubectl -n ${o.namespace} wait --for=condition=complete job/${o.name}-merge --timeout=24h\n`;
  const docs = k8sObjects(o);
  return header + docs.map((d) => stringify(d, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n');
}
