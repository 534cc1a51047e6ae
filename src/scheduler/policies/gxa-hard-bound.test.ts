// With a feasible W_target in hard mode, GXA lets no admitted request wait longer than the bound.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FleetSchema } from '../../config/schema.ts';
import { checkWaitTarget } from '../feasibility.ts';
import { DEFAULT_POLICY_OPTIONS } from '../scheduler-types.ts';
import { simulate } from '../simulator/simulator.ts';
import type { Trace } from '../simulator/trace.ts';
import { policyByName } from './index.ts';

const W = 600_000;
const L = 30;

function trace(agents: Array<{ model: 0 | 1; start: number; turns: number; work: number }>): Trace {
  return {
    name: 'hard',
    description: 'two exclusive models, light load',
    fleet: FleetSchema.parse({
      servers: [{ name: 's1', url: 'http://127.0.0.1:11434', memoryGiB: 24, resident: ['a'] }],
      models: ['a', 'b'].map((name) => ({
        name,
        paramsB: 32,
        memoryGiB: 18.5,
        contextTokens: 4096,
        loadSeconds: L,
        servers: ['s1'],
      })),
    }),
    options: { ...DEFAULT_POLICY_OPTIONS, hard: true, waitTargetMs: W },
    agents: agents.map((a, i) => ({
      id: `g${i}`,
      model: a.model === 0 ? 'a' : 'b',
      startMs: a.start,
      tasks: 2,
      turns: a.turns,
      workMs: a.work * a.turns,
      offMedianMs: 300_000,
    })),
    horizonMs: Infinity,
    toolDelayMedianMs: 5000,
    hints: false,
    workModel: true,
  };
}

describe('GXA hard mode', () => {
  it('the test scenario passes the feasibility check', () => {
    const r = checkWaitTarget({
      waitTargetSeconds: W / 1000,
      exclusiveModels: 2,
      loadSeconds: L,
      rho: 0.5,
      drainSeconds: 20,
    });
    expect(r.feasible).toBe(true);
  });

  it('never lets an admitted request wait longer than W_target', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            model: fc.constantFrom(0 as const, 1 as const),
            start: fc.integer({ min: 0, max: 300_000 }),
            turns: fc.integer({ min: 2, max: 10 }),
            work: fc.integer({ min: 5000, max: 20_000 }),
          }),
          { minLength: 4, maxLength: 10 },
        ),
        fc.integer({ min: 1, max: 100 }),
        (agents, seed) => {
          let worst = 0;
          simulate(policyByName('gxa'), trace(agents), seed, {
            onDecision: (state, actions, now) => {
              for (const a of actions) {
                if (a.type !== 'dispatch') continue;
                const rec = state.requests.get(a.requestId)!;
                worst = Math.max(worst, now - rec.request.arrivalMs);
              }
            },
          });
          expect(worst).toBeLessThanOrEqual(W + 1e-6);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('checkWaitTarget', () => {
  it('says why a target is infeasible and suggests a fix', () => {
    const r = checkWaitTarget({
      waitTargetSeconds: 60,
      exclusiveModels: 3,
      loadSeconds: 40,
      rho: 0.7,
      drainSeconds: 30,
    });
    expect(r.feasible).toBe(false);
    expect(r.requiredSeconds).toBeCloseTo(30 + 2 * (40 + (40 * 0.7) / 0.3) + 40, 5);
    expect(r.message).toMatch(/infeasible.*at least 33\d s/);
    expect(r.suggestion).toMatch(/raise waitTargetSeconds to 33\d/);
    expect(
      checkWaitTarget({ waitTargetSeconds: 60, exclusiveModels: 2, loadSeconds: 1, rho: 1, drainSeconds: 0 })
        .suggestion,
    ).toMatch(/overloaded/);
  });
});
