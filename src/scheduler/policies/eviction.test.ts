import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FleetCosts, ModelCosts } from '../../cost/model-costs.ts';
import { createSchedulerState, type ModelState } from '../scheduler-state.ts';
import { DEFAULT_POLICY_OPTIONS } from '../scheduler-types.ts';
import { chooseVictims } from './eviction.ts';
import { cachedTokens, demandOf } from './policy-helpers.ts';

const NAMES = ['m0', 'm1', 'm2', 'm3', 'm4', 'in'];

function fleet(): FleetCosts {
  const models = new Map<string, ModelCosts>();
  for (const model of NAMES)
    models.set(model, {
      server: 's',
      model,
      memoryGiB: 10,
      loadSeconds: model === 'm1' ? 20 : 10,
      unloadSeconds: 1,
      prefillTokensPerSecond: 1000,
      decodeTokensPerSecond: 50,
    });
  // room for the five resident models only: making room for `in` evicts the best victims in turn
  const server = { server: 's', memoryGiB: 50, parallel: 2, maxLoadedModels: 5, queueMax: 100 };
  return { servers: new Map([['s', server]]), models };
}

/** the documented order: needed furthest ahead (hints), then demand x reload cost, then name */
function reference(candidates: ModelState[], nextUse: Map<string, number> | undefined, now: number) {
  const score = (m: ModelState): number =>
    (demandOf(m, now) + m.queue.length + m.running.size + m.returning.size) *
    (m.loadMs + cachedTokens(m) / m.prefillPerMs);
  return [...candidates].sort((a, b) => {
    const ua = nextUse?.get(a.model) ?? Infinity;
    const ub = nextUse?.get(b.model) ?? Infinity;
    if (nextUse && ua !== ub) return ub - ua;
    return score(a) - score(b) || (a.model < b.model ? -1 : 1);
  });
}

describe('chooseVictims', () => {
  it('ranks victims in the documented order, ties and hints included', () => {
    const model = fc.record({
      demand: fc.constantFrom(0, 1, 2),
      queued: fc.integer({ min: 0, max: 2 }),
      hint: fc.option(fc.constantFrom(...NAMES.slice(0, 5)), { nil: undefined }),
      cached: fc.constantFrom(0, 1000),
    });
    fc.assert(
      fc.property(fc.array(model, { minLength: 5, maxLength: 5 }), (specs) => {
        const state = createSchedulerState('gxa', fleet(), DEFAULT_POLICY_OPTIONS);
        const server = state.servers[0]!;
        const nextUse = new Map<string, number>();
        let hinted = false;
        specs.forEach((spec, i) => {
          const ms = server.models.get(`m${i}`)!;
          ms.phase = 'resident';
          ms.demand = spec.demand;
          if (spec.cached > 0) ms.cached.set('agent', spec.cached);
          for (let q = 0; q < spec.queued; q++)
            ms.queue.push({
              id: `r${i}-${q}`,
              model: ms.model,
              agentId: 'agent',
              anonymous: false,
              arrivalMs: 0,
              serviceMs: 1000,
              contextTokens: 0,
              priority: 1,
              upcomingModels: spec.hint === undefined ? undefined : [spec.hint],
            });
          if (spec.queued > 0) nextUse.set(ms.model, 0);
          if (spec.queued > 0 && spec.hint !== undefined) hinted = true;
        });
        // a hint names the model needed next (distance 1) unless it is queued already (0)
        for (const spec of specs)
          if (spec.queued > 0 && spec.hint !== undefined && !nextUse.has(spec.hint))
            nextUse.set(spec.hint, 1);
        const incoming = server.models.get('in')!;
        const candidates = NAMES.slice(0, 5).map((n) => server.models.get(n)!);
        const want = reference(candidates, hinted ? nextUse : undefined, 0);
        const got = chooseVictims(server, incoming, 0, () => true);
        expect(got?.map((m) => m.model)).toEqual(want.slice(0, 1).map((m) => m.model));
        // with every candidate needed (one model loaded at most), the whole ranking shows
        server.maxLoaded = 1;
        expect(chooseVictims(server, incoming, 0, () => true)?.map((m) => m.model)).toEqual(
          want.map((m) => m.model),
        );
      }),
      { numRuns: 300 },
    );
  });
});
