/**
 * Applies the FaultController to requests. Each route says what it is in its config
 * (`fault: 'api' | 'login' | 'upload' | 'health' | 'none'`); routes without one count as 'api'.
 * Order per request: stall (held while a stall window lasts), overload cap (503 OVERLOADED with
 * Retry-After, like a load shedder: before any work), added latency, injected 500. A response
 * about to leave during a stall window is held too. Admin and metrics routes ('none') are never
 * faulted, so faults can always be switched off.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyReply } from 'fastify';
import { ApiError } from '../errors.js';
import { sharedPlugin } from '../shared-plugin.js';
import { FaultController, type FaultKind } from './controller.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    fault?: FaultKind;
  }
  interface FastifyInstance {
    faults: FaultController;
  }
}

export const faultsPlugin = sharedPlugin(async (app) => {
  const faults = new FaultController(app.ctx.options.faults, app.ctx.options.seed);
  app.decorate('faults', faults);
  const kindOf = (config: { fault?: FaultKind }): FaultKind => config.fault ?? 'api';

  const holdWhileStalled = async (): Promise<void> => {
    // Bounded: one wait per window, and a window never outlasts everyMs.
    for (let i = 0; i < 3; i++) {
      const ms = faults.stallRemainingMs();
      if (ms <= 0) return;
      app.metrics.faults.inc({ kind: 'stall' });
      await sleep(ms);
    }
  };

  // Callback-style hooks with a synchronous path when no fault applies (the usual case): an
  // async hook costs a promise and a microtask turn per request even when it does nothing.
  const admit = (kind: FaultKind, reply: FastifyReply, done: (err?: Error) => void): void => {
    if (kind === 'health') return done();
    if (kind === 'login' || kind === 'upload') {
      const cap = faults.cap(kind);
      if (cap !== null && faults.inFlight[kind] >= cap) {
        app.metrics.faults.inc({ kind: 'overload' });
        return done(new ApiError('OVERLOADED', `more than ${cap} ${kind}s in flight: retry after ${faults.retryAfterS} s`,
          { 'retry-after': String(faults.retryAfterS) }));
      }
      faults.inFlight[kind] += 1;
      reply.raw.once('close', kind === 'login' ? leftLogin : leftUpload);
    }
    const delay = faults.latencyMs(kind);
    const finish = (): void => {
      if (faults.injectError(kind)) {
        app.metrics.faults.inc({ kind: 'error' });
        return done(new ApiError('INJECTED_FAULT', 'injected fault (errorRate): nothing was stored, retry'));
      }
      done();
    };
    if (delay > 0) setTimeout(finish, delay);
    else finish();
  };
  const leftLogin = (): void => {
    faults.inFlight.login -= 1;
  };
  const leftUpload = (): void => {
    faults.inFlight.upload -= 1;
  };

  app.addHook('onRequest', (request, reply, done) => {
    const kind = kindOf(request.routeOptions.config);
    if (kind === 'none') return done();
    if (faults.stallRemainingMs() <= 0) return admit(kind, reply, done);
    holdWhileStalled().then(() => admit(kind, reply, done), done);
  });

  app.addHook('onSend', (request, _reply, payload, done) => {
    if (faults.stallRemainingMs() <= 0 || kindOf(request.routeOptions.config) === 'none') return done(null, payload);
    holdWhileStalled().then(() => done(null, payload), done);
  });
}, 'ujibeban-faults');
