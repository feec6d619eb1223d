/**
 * A worker thread of `run --workers N`: builds the same scenario, hierarchy and plan as the
 * parent (deterministic from the scenario), keeps its segment, runs it and posts the result.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Hierarchy } from '../../src/domain/index.js';
import { loadScenario } from '../../src/scenario/load.js';
import { buildPlan } from '../plan/plan.js';
import { loadProfile } from '../profile.js';
import { mockProfile } from '../profiles/mock.js';
import { ReceiptBuffer } from '../receipts.js';
import { runLoad } from '../run.js';
import { materializeIntervals } from '../record/result-file.js';
import type { FromWorker, ToWorker, WorkerJob } from './protocol.js';

const job = workerData as WorkerJob;
const port = parentPort!;
const post = (m: FromWorker): void => port.postMessage(m);
const abort = new AbortController();
port.on('message', (m: ToWorker) => { if (m.type === 'abort') abort.abort(); });

// Receipts go to the parent in batches (every 200 ms or 64 KB), before the result.
let sent = 0;
const receipts = job.receipts
  ? new ReceiptBuffer((lines) => {
    const count = receipts!.count - sent;
    sent += count;
    post({ type: 'receipts', lines, count });
  })
  : null;

try {
  const { scenario, file } = loadScenario(job.scenarioArg, job.load);
  const hierarchy = new Hierarchy(scenario);
  const plan = buildPlan(scenario, hierarchy, job.segment);
  const profile = job.targetProfile ? await loadProfile(job.targetProfile) : mockProfile;
  const result = await runLoad({
    scenario, scenarioFile: file, hierarchy, plan, targetUrl: job.targetUrl, profile, signal: abort.signal,
    onProgress: (snapshot) => post({ type: 'progress', snapshot }),
    segment: job.segment, startAt: new Date(job.startAtMs), pinSecret: job.pinSecret, embeddedServer: job.embeddedServer,
    receipts,
    // Held in a temporary file during the run, read back once for the parent's exact merge.
    spillIntervals: true,
  });
  await materializeIntervals(result);
  receipts?.stop();
  post({ type: 'result', result });
} catch (e) {
  receipts?.stop();
  const err = e as { message?: string; exitCode?: number };
  post({ type: 'error', message: err.message ?? String(e), exitCode: typeof err.exitCode === 'number' ? err.exitCode : 1 });
}
port.close();
