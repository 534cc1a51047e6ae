import { describe, expect, it } from 'vitest';
import type { FleetCosts, ModelCosts } from '../../cost/model-costs.ts';
import { createSchedulerState, type ModelState } from '../scheduler-state.ts';
import { DEFAULT_POLICY_OPTIONS, type SchedRequest } from '../scheduler-types.ts';
import { queueSnapshot } from '../queue-snapshot.ts';
import { effectiveWaitMs, requiredWaitMs, swapBoundMs } from './effective-wait-target.ts';

const NOW = 3_600_000;

function fleet(): FleetCosts {
  const models = new Map<string, ModelCosts>();
  for (const model of ['a', 'b', 't'])
    models.set(model, {
      server: 's',
      model,
      memoryGiB: 10,
      loadSeconds: 10,
      unloadSeconds: 1,
      prefillTokensPerSecond: 1000,
      decodeTokensPerSecond: 50,
    });
  const server = { server: 's', memoryGiB: 25, parallel: 1, maxLoadedModels: 3, queueMax: 100 };
  return { servers: new Map([['s', server]]), models };
}

const request = (id: string, model: string, serviceMs: number): SchedRequest => ({
  id,
  model,
  agentId: id,
  anonymous: false,
  arrivalMs: NOW - 1000,
  serviceMs,
  contextTokens: 0,
  priority: 1,
});

/** a and b resident (a holding `cachedA` tokens), t waiting; the server's load measured as `rho` */
function scene(o: { waitTargetMs: number; rho: number; cachedA?: number; hard?: boolean }) {
  const state = createSchedulerState('gxa', fleet(), {
    ...DEFAULT_POLICY_OPTIONS,
    waitTargetMs: o.waitTargetMs,
    hard: o.hard ?? false,
  });
  const server = state.servers[0]!;
  const [a, b, t] = ['a', 'b', 't'].map((m) => server.models.get(m)!) as [ModelState, ModelState, ModelState];
  for (const ms of [a, b]) ms.phase = 'resident';
  a.running.set('a-run', NOW + 20_000);
  a.cached.set('agent-a', o.cachedA ?? 0);
  b.cached.set('agent-b', 2 * (o.cachedA ?? 0));
  t.queue.push(request('t0', 't', 30_000));
  server.busyMs = o.rho * 1000;
  server.spanMs = 1000;
  return { state, server };
}

describe('the wait target GXA acts on', () => {
  it('is the configured one when it is feasible at the measured load', () => {
    // required = drain 20 s + 10 + 10*0.5/0.5 + 10 = 50 s
    const { state, server } = scene({ waitTargetMs: 300_000, rho: 0.5, cachedA: 50_000 });
    expect(requiredWaitMs(server, NOW)).toBe(50_000);
    expect(effectiveWaitMs(state, server, NOW)).toBe(300_000);
  });

  it('is the swap bound when the configured one is infeasible: swaps take at most 10% of the server', () => {
    // rho 0.95: required = 20 + 10 + 190 + 10 = 230 s > 60 s
    const { state, server } = scene({ waitTargetMs: 60_000, rho: 0.95, cachedA: 50_000 });
    expect(requiredWaitMs(server, NOW)).toBeCloseTo(230_000, 0);
    // the visit: t's load 10 s + its call 30 s; the cheaper victim a: load back 10 s + 50 s of
    // re-prefill; over 2 resident models, over a 10% share
    expect(swapBoundMs(server, 0.1)).toBeCloseTo(((40_000 + 60_000) / 2) * 10, 0);
    expect(effectiveWaitMs(state, server, NOW)).toBeCloseTo(500_000, 0);
  });

  it('is the feasibility bound when that is larger than the swap bound', () => {
    const { state, server } = scene({ waitTargetMs: 60_000, rho: 0.95, cachedA: 0 });
    // swap bound (40 + 10) / 2 * 10 = 250 s against the required 230 s
    expect(effectiveWaitMs(state, server, NOW)).toBeCloseTo(250_000, 0);
    state.options.maxSwapShare = 0.5;
    expect(effectiveWaitMs(state, server, NOW)).toBeCloseTo(230_000, 0);
  });

  it('stays the configured one in hard mode, and with nothing waiting to be swapped in', () => {
    const hard = scene({ waitTargetMs: 60_000, rho: 0.95, cachedA: 50_000, hard: true });
    expect(effectiveWaitMs(hard.state, hard.server, NOW)).toBe(60_000);
    const idle = scene({ waitTargetMs: 60_000, rho: 0.95, cachedA: 50_000 });
    idle.server.models.get('t')!.queue.length = 0;
    expect(effectiveWaitMs(idle.state, idle.server, NOW)).toBe(60_000);
  });

  it('shows in the queue snapshot (and so in /metrics) beside the configured one', () => {
    const { state } = scene({ waitTargetMs: 60_000, rho: 0.95, cachedA: 50_000 });
    expect(queueSnapshot('gxa', state, NOW).servers[0]?.waitTarget).toEqual({
      configuredSeconds: 60,
      effectiveSeconds: 500,
    });
    expect(queueSnapshot('ollama', state, NOW).servers[0]?.waitTarget).toBeUndefined();
  });
});
