/**
 * send(): one HTTP attempt through the run's Transport (transport.ts): the raw keep-alive
 * client for http:// targets, undici for https:// or a dispatcher handed in. Every caller in
 * the engine (attempt.ts, probe.ts, run.ts) sends through here.
 */
import type { Transport } from './transport.js';
import type { HttpResult, RequestSpec } from './types.js';

export { parseRetryAfter, transportCode } from './result.js';

export function send(transport: Transport, spec: RequestSpec, timeoutMs: number): Promise<HttpResult> {
  return transport.send(spec, timeoutMs);
}
