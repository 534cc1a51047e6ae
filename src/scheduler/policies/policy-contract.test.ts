// The policy contract: one set of properties run against every policy (DESIGN.md "Testing").
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FleetSchema } from '../../config/schema.ts';
import { POLICY_NAMES } from '../../config/schema.ts';
import { resolveModelCosts } from '../../cost/model-costs.ts';
import { decide } from '../decide.ts';
import { createSchedulerState, usedGiB } from '../scheduler-state.ts';
import { DEFAULT_POLICY_OPTIONS, type SchedAction } from '../scheduler-types.ts';
import { simulate } from '../simulator/simulator.ts';
import type { AgentSpec, Trace } from '../simulator/trace.ts';
import { policyByName } from './index.ts';

const MODELS = [
  { name: 'm32a', paramsB: 32, memoryGiB: 18.5, contextTokens: 4096, loadSeconds: 30 },
  { name: 'm32b', paramsB: 32, memoryGiB: 18.5, contextTokens: 4096, loadSeconds: 30 },
  { name: 'm14', paramsB: 14, memoryGiB: 8.4, contextTokens: 4096, loadSeconds: 12 },
  { name: 'm7', paramsB: 7, memoryGiB: 4.4, contextTokens: 4096, loadSeconds: 5 },
];

interface Shape {
  servers: number;
  memory: number[];
  models: number;
  agents: Array<{ model: number; start: number; turns: number; work: number; tasks: number }>;
  resident: boolean;
  /** GXA's hard mode (the other policies ignore it) */
  hard: boolean;
}

const shape: fc.Arbitrary<Shape> = fc.record({
  servers: fc.integer({ min: 1, max: 2 }),
  memory: fc.array(fc.constantFrom(21.3, 24, 48), { minLength: 2, maxLength: 2 }),
  models: fc.integer({ min: 2, max: 4 }),
  agents: fc.array(
    fc.record({
      model: fc.integer({ min: 0, max: 3 }),
      start: fc.integer({ min: 0, max: 600_000 }),
      turns: fc.integer({ min: 1, max: 6 }),
      work: fc.integer({ min: 1000, max: 120_000 }),
      tasks: fc.integer({ min: 1, max: 3 }),
    }),
    { minLength: 1, maxLength: 8 },
  ),
  resident: fc.boolean(),
  hard: fc.boolean(),
});

function traceOf(s: Shape, waitTargetMs = 300_000): Trace {
  const servers = ['s1', 's2'].slice(0, s.servers);
  const models = MODELS.slice(0, s.models);
  const fleet = FleetSchema.parse({
    servers: servers.map((name, i) => ({
      name,
      url: `http://127.0.0.1:${11434 + i}`,
      memoryGiB: s.memory[i],
      resident: s.resident && i === 0 ? [models[0]!.name] : [],
    })),
    models: models.map((m) => ({ ...m, servers })),
  });
  const agents: AgentSpec[] = s.agents.map((a, i) => ({
    id: `a${i}`,
    model: models[a.model % models.length]!.name,
    startMs: a.start,
    tasks: a.tasks,
    turns: a.turns,
    workMs: a.work * a.turns,
    offMedianMs: 60_000,
  }));
  return {
    name: 'prop',
    description: 'property trace',
    fleet,
    options: { ...DEFAULT_POLICY_OPTIONS, hard: s.hard, waitTargetMs },
    agents,
    horizonMs: Infinity,
    toolDelayMedianMs: 5000,
    hints: false,
    workModel: true,
  };
}

describe.each(POLICY_NAMES)('policy contract: %s', (name) => {
  const policy = policyByName(name);

  it('never puts more in memory than a server has, and serves every call exactly once', () => {
    fc.assert(
      fc.property(shape, (s) => {
        const trace = traceOf(s);
        const dispatched = new Set<string>();
        let over = '';
        let decisions = 0;
        const r = simulate(policy, trace, 7, {
          onDecision: (state, actions) => {
            // progress: a timer that keeps receding would spin here instead of hanging the suite
            if (++decisions > 200_000) throw new Error(`no progress after ${decisions} decisions`);
            for (const sv of state.servers) {
              if (usedGiB(sv) > sv.memoryGiB + 1e-9) over = `${sv.name}: ${usedGiB(sv)} > ${sv.memoryGiB}`;
              let queued = sv.fifo.reduce((n, r) => n + r.serviceMs, 0);
              for (const m of sv.models.values()) queued += m.queue.reduce((n, r) => n + r.serviceMs, 0);
              if (Math.abs(queued - sv.queuedWorkMs) > 1e-3)
                over = `${sv.name}: queued work ${sv.queuedWorkMs} != ${queued}`;
            }
            for (const a of actions)
              if (a.type === 'dispatch') {
                if (dispatched.has(a.requestId)) over = `${a.requestId} dispatched twice`;
                dispatched.add(a.requestId);
              }
          },
        });
        expect(over).toBe('');
        expect(r.calls).toBe(dispatched.size);
        expect(r.state.requests.size).toBe(0);
        const expected = s.agents.reduce((n, a) => n + a.turns * a.tasks, 0);
        expect(r.calls).toBe(expected);
      }),
      { numRuns: 40 },
    );
  });

  it('gives equal decisions for equal inputs', () => {
    fc.assert(
      fc.property(shape, fc.integer({ min: 1, max: 1000 }), (s, seed) => {
        const trace = traceOf(s);
        const a = simulate(policy, trace, seed);
        const b = simulate(policy, trace, seed);
        expect(b.waits).toEqual(a.waits);
        expect(b.swaps).toBe(a.swaps);
      }),
      { numRuns: 15 },
    );
    const costs = resolveModelCosts(
      traceOf({ servers: 1, memory: [24, 24], models: 3, agents: [], resident: true, hard: false }).fleet,
    );
    const state = createSchedulerState(name, costs, DEFAULT_POLICY_OPTIONS, { s1: ['m32a'] });
    for (let i = 0; i < 6; i++) {
      const event = {
        type: 'arrival' as const,
        request: {
          id: `r${i}`,
          model: MODELS[i % 3]!.name,
          agentId: `a${i}`,
          anonymous: false,
          arrivalMs: i,
          serviceMs: 1000,
          contextTokens: 100,
          priority: 1,
        },
      };
      const copy = structuredClone(state);
      const one: SchedAction[] = decide(policy, state, event, i).actions;
      const two: SchedAction[] = decide(policy, copy, event, i).actions;
      expect(two).toEqual(one);
      expect(copy).toEqual(state);
    }
  });

  it('rejects an unknown model and a model larger than every server as unschedulable', () => {
    const fleet = FleetSchema.parse({
      servers: [{ name: 's1', url: 'http://127.0.0.1:11434', memoryGiB: 10 }],
      models: [
        { name: 'small', memoryGiB: 4, servers: ['s1'] },
        { name: 'big', memoryGiB: 30, servers: ['s1'] },
      ],
    });
    const state = createSchedulerState(name, resolveModelCosts(fleet), DEFAULT_POLICY_OPTIONS);
    const arrival = (id: string, model: string) => ({
      type: 'arrival' as const,
      request: {
        id,
        model,
        agentId: id,
        anonymous: true,
        arrivalMs: 0,
        serviceMs: 1,
        contextTokens: 1,
        priority: 1,
      },
    });
    expect(decide(policy, state, arrival('x', 'ghost'), 0).actions).toEqual([
      expect.objectContaining({
        type: 'reject',
        code: 'unschedulable',
        message: expect.stringContaining(
          'unknown model ghost: no server holds it (servers: s1; local models: small, big)',
        ),
      }),
    ]);
    expect(decide(policy, state, arrival('y', 'big'), 0).actions).toEqual([
      expect.objectContaining({
        type: 'reject',
        code: 'unschedulable',
        message: expect.stringMatching(/big fits no server: s1 has 10 GiB/),
      }),
    ]);
  });
});
