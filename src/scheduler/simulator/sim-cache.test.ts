import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FleetCosts, ModelCosts } from '../../cost/model-costs.ts';
import { seededRandom } from '../../lib/random.ts';
import type { AgentRun } from './sim-agents.ts';
import { ContextCache } from './sim-cache.ts';

function costs(pairs: Array<[string, string]>): FleetCosts {
  const models = new Map<string, ModelCosts>();
  for (const [server, model] of pairs)
    models.set(`${server}/${model}`, { server, model } as unknown as ModelCosts);
  return { servers: new Map(), models };
}

function agent(id: string, index: number): AgentRun {
  return {
    spec: { id, model: 'm', startMs: 0, tasks: 1 },
    index,
    rng: seededRandom(1),
    tasksLeft: 1,
    turn: 0,
    turns: 1,
    context: 0,
    waiting: 0,
    served: 0,
    done: false,
    blockers: 0,
  };
}

describe('ContextCache', () => {
  it('answers like one Set of agent ids per (server, model), agents sharing an id included', () => {
    const pairs: Array<[string, string]> = [
      ['s1', 'a'],
      ['s1', 'b'],
      ['s2', 'a'],
    ];
    const op = fc.record({
      kind: fc.constantFrom('add', 'has', 'clear'),
      slot: fc.integer({ min: 0, max: 2 }),
      agent: fc.integer({ min: 0, max: 4 }),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 100 }), (ops) => {
        // agents 3 and 4 share the id of agents 0 and 1
        const agents = [0, 1, 2, 3, 4].map((i) => agent(`x${i % 3}`, i));
        const cache = new ContextCache(costs(pairs), agents);
        const sets = pairs.map(() => new Set<string>());
        for (const o of ops) {
          const [server, model] = pairs[o.slot]!;
          const slot = cache.slotOf(server, model);
          const a = agents[o.agent]!;
          if (o.kind === 'add') {
            cache.add(slot, a);
            sets[o.slot]!.add(a.spec.id);
          } else if (o.kind === 'clear') {
            cache.clear(slot);
            sets[o.slot]!.clear();
          } else expect(cache.has(slot, a)).toBe(sets[o.slot]!.has(a.spec.id));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('keeps the costs of each (server, model) and names an unknown pair', () => {
    const cache = new ContextCache(costs([['s1', 'a']]), []);
    expect(cache.costs[cache.slotOf('s1', 'a')]!.model).toBe('a');
    expect(() => cache.slotOf('s1', 'zz')).toThrow(/model zz on server s1/);
  });
});
