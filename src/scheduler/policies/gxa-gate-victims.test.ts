// Rule 4 with a long gate: GXA waits for the best victim's gate only while that gate holds at most
// W_target of work; a longer gate yields to a resident model whose gate is served. Found on T4,
// where a trickle call waited 29 minutes behind one group's six freshly reloaded calls while the
// other group's gate had long been served.
import { describe, expect, it } from 'vitest';
import type { FleetCosts, ModelCosts } from '../../cost/model-costs.ts';
import { decide } from '../decide.ts';
import { createSchedulerState, type ModelState } from '../scheduler-state.ts';
import { DEFAULT_POLICY_OPTIONS, type SchedRequest } from '../scheduler-types.ts';
import { policyByName } from './index.ts';

const NOW = 3_600_000;
const W = 300_000;

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
  // two of the three fit: serving `t` evicts `a` or `b`
  const server = { server: 's', memoryGiB: 25, parallel: 1, maxLoadedModels: 3, queueMax: 100 };
  return { servers: new Map([['s', server]]), models };
}

function request(id: string, model: string, arrivalMs: number, serviceMs: number): SchedRequest {
  return { id, model, agentId: id, anonymous: false, arrivalMs, serviceMs, contextTokens: 0, priority: 1 };
}

/** `b` was just reloaded with `gateMs` of gated calls and nothing cached (the cheaper victim); `a`
 * has served its gate and holds a large cached context; a call for `t` is near its deadline */
function scene(gateMs: number) {
  const state = createSchedulerState('gxa', fleet(), {
    ...DEFAULT_POLICY_OPTIONS,
    hard: false,
    waitTargetMs: W,
  });
  const server = state.servers[0]!;
  const [a, b, t] = ['a', 'b', 't'].map((m) => server.models.get(m)!) as [ModelState, ModelState, ModelState];
  for (const ms of [a, b]) {
    ms.phase = 'resident';
    ms.loadedAtMs = 0;
    ms.running.set(`${ms.model}-run`, NOW + 1000);
  }
  a.cached.set('agent-a', 100_000);
  for (let i = 0; i < 3; i++) {
    const r = request(`b${i}`, 'b', NOW - 60_000, gateMs / 3);
    b.queue.push(r);
    b.gateOpen.add(r.id);
  }
  t.queue.push(request('t0', 't', NOW - 295_000, 30_000));
  return state;
}

const closed = (gateMs: number): string[] => {
  const { actions } = decide(policyByName('gxa'), scene(gateMs), { type: 'tick' }, NOW);
  return actions.flatMap((x) => (x.type === 'close-gate' ? [x.model] : []));
};

describe('gxa victims with an open gate', () => {
  it('waits for the best victim when its gate holds at most W_target of work', () => {
    expect(closed(W / 2)).toEqual([]);
  });

  it('evicts a model whose gate is served when the best victim gate holds more than W_target', () => {
    expect(closed(3 * W)).toEqual(['a']);
  });
});
