// B1 against DESIGN.md "Ollama behaviour" (and the emulator, which reproduces sched.go), event by
// event on a manual clock.
import { describe, expect, it } from 'vitest';
import { FleetSchema } from '../../config/schema.ts';
import { resolveModelCosts } from '../../cost/model-costs.ts';
import { decide } from '../decide.ts';
import { createSchedulerState } from '../scheduler-state.ts';
import { DEFAULT_POLICY_OPTIONS, type SchedAction } from '../scheduler-types.ts';
import { policyByName } from './index.ts';

const policy = policyByName('ollama');

/** one 24 GiB server that holds one of two 32B models at a time */
function exclusivePair() {
  const fleet = FleetSchema.parse({
    servers: [{ name: 's1', url: 'http://127.0.0.1:11434', memoryGiB: 24 }],
    models: ['a', 'b'].map((name) => ({
      name,
      paramsB: 32,
      memoryGiB: 18.5,
      contextTokens: 4096,
      loadSeconds: 30,
      servers: ['s1'],
    })),
  });
  return createSchedulerState('ollama', resolveModelCosts(fleet), DEFAULT_POLICY_OPTIONS);
}

const arrival = (id: string, model: string, at: number) => ({
  type: 'arrival' as const,
  request: {
    id,
    model,
    agentId: id,
    anonymous: false,
    arrivalMs: at,
    serviceMs: 10_000,
    contextTokens: 100,
    priority: 1,
  },
});

/** the actions without timers (the keep-alive timer is armed and re-armed as a runner idles) */
const brief = (actions: SchedAction[]): string[] =>
  actions
    .filter((a) => a.type !== 'timer')
    .map((a) => ('requestId' in a ? `${a.type} ${a.requestId}` : `${a.type} ${'model' in a ? a.model : ''}`));

describe('ollama policy (B1)', () => {
  it('admits a call for a model that is loading at once (fast path), ahead of the FIFO head', () => {
    // sched.go puts a runner in `loaded` when its load starts, so a call for that model takes the
    // fast path into it even while another model's request heads the global FIFO
    const state = exclusivePair();
    expect(brief(decide(policy, state, arrival('a1', 'a', 0), 0).actions)).toEqual(['load a']);
    decide(policy, state, arrival('b1', 'b', 1), 1);
    decide(policy, state, arrival('a2', 'a', 2), 2);
    const loaded = decide(policy, state, { type: 'load-done', server: 's1', model: 'a', ok: true }, 30_000);
    expect(brief(loaded.actions)).toEqual(['dispatch a1']);
    // a's runner still holds a2: no unload for b1 until a2 is served too
    const done = decide(policy, state, { type: 'completion', requestId: 'a1' }, 40_000);
    expect(brief(done.actions)).toEqual(['dispatch a2']);
    const second = decide(policy, state, { type: 'completion', requestId: 'a2' }, 50_000);
    expect(brief(second.actions)).toEqual(['unload a']);
  });
});
