import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { K8S_DEFAULTS, renderK8s } from '../../src/deploy/k8s.js';

const base = {
  ...K8S_DEFAULTS, scenario: 'pilkada-2024-nasional', target: 'http://recap-staging.kpu.example:8080',
  startAt: '2024-11-27T06:00:00Z', extraArgs: ['--time-scale', '60'],
};

type Doc = Record<string, any>;
const render = (segments: number, over: Partial<typeof base> = {}): Doc[] =>
  parseAllDocuments(renderK8s({ ...base, ...over, segments })).map((d) => d.toJS() as Doc);

/** Runs the pod's sh line with a given JOB_COMPLETION_INDEX through a real shell (echo only). */
async function podArgs(line: string, index: number): Promise<string> {
  const { execFileSync } = await import('node:child_process');
  const echoed = line.replace(/^ujibeban /, 'echo ').replace(/; code=.*$/, '');
  return execFileSync('sh', ['-c', echoed], { env: { ...process.env, JOB_COMPLETION_INDEX: String(index) } }).toString().trim();
}

describe('Kubernetes manifests for a segmented national run', () => {
  for (const n of [1, 4, 16]) {
    it(`renders an Indexed Job of ${n} pod(s), a merge Job and a shared volume`, async () => {
      const [pvc, load, merge] = render(n);
      expect(pvc.kind).toBe('PersistentVolumeClaim');
      expect(pvc.spec.accessModes).toEqual(['ReadWriteMany']);
      expect(load.kind).toBe('Job');
      expect(load.spec).toMatchObject({ completionMode: 'Indexed', completions: n, parallelism: n });
      const pod = load.spec.template.spec;
      expect(pod.restartPolicy).toBe('Never');
      expect(pod.volumes[0].persistentVolumeClaim.claimName).toBe(pvc.metadata.name);
      const line: string = pod.containers[0].command[2];
      // Every pod index maps to its own 1-based segment and output folder.
      for (const i of [0, n - 1]) {
        const args = await podArgs(line, i);
        expect(args).toContain(`--segment ${i + 1}/${n}`);
        expect(args).toContain(`--out /results/segment-${i + 1}`);
        expect(args).toContain('--start-at 2024-11-27T06:00:00Z');
        expect(args).toContain('--time-scale 60');
        expect(args).toContain('--allow-remote');
      }
      expect(merge.spec.template.spec.initContainers[0].command[2]).toContain(`-ge ${n} ]`);
      expect(merge.spec.template.spec.containers[0].command[2]).toMatch(/^ujibeban merge \/results\/segment-\*\/result\.json --out/);
      for (const d of [pvc, load, merge]) {
        expect(d.apiVersion).toBeTruthy();
        expect(d.metadata.namespace).toBe('ujibeban');
        expect(d.metadata.name).toMatch(/^ujibeban-/);
      }
    });
  }

  it('adds no --allow-remote for a loopback target and quotes odd scenario paths', async () => {
    const [, load] = render(2, { target: 'http://127.0.0.1:3000', scenario: "/data/my scenario's.json" });
    const args = await podArgs(load.spec.template.spec.containers[0].command[2], 0);
    expect(args).not.toContain('--allow-remote');
    expect(args).toContain("run /data/my scenario's.json");
  });

  it('refuses a segment count that is not a whole number', () => {
    expect(() => render(0)).toThrow(/segments/);
    expect(() => render(2.5)).toThrow(/segments/);
  });
});
