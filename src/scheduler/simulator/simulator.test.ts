import { describe, expect, it } from 'vitest';
import { FleetSchema, POLICY_NAMES } from '../../config/schema.ts';
import { policyByName } from '../policies/index.ts';
import { DEFAULT_POLICY_OPTIONS } from '../scheduler-types.ts';
import { simulate } from './simulator.ts';
import type { Trace } from './trace.ts';
import { t1, t2, t4, tracesOf } from './traces.ts';

function tiny(model: string, memoryGiB = 4): Trace {
  return {
    name: 'bad',
    description: 'one agent',
    fleet: FleetSchema.parse({
      servers: [
        { name: 'a', url: 'http://a.test:11434', memoryGiB: 10 },
        { name: 'b', url: 'http://b.test:11434', memoryGiB: 12 },
      ],
      models: [{ name: 'm', memoryGiB, servers: ['a', 'b'] }],
    }),
    options: DEFAULT_POLICY_OPTIONS,
    agents: [{ id: 'x', model, startMs: 0, tasks: 1, turns: 2 }],
    horizonMs: Infinity,
    toolDelayMedianMs: 1000,
    hints: false,
    workModel: false,
  };
}

describe('simulate', () => {
  it('stops with an error naming the model and the servers when a trace cannot be scheduled', () => {
    expect(() => simulate(policyByName('gxa'), tiny('ghost'), 1)).toThrow(
      /unknown model ghost: no server holds it \(servers: /,
    );
    expect(() => simulate(policyByName('ollama'), tiny('m', 30), 1)).toThrow(
      /model m fits no server: a has 10 GiB, the model needs [\d.]+ GiB; b has 12 GiB/,
    );
  });

  it('never beats the proven optimum of the seed DAG (47.8 and 24.65 min)', () => {
    for (const name of POLICY_NAMES)
      for (const trace of tracesOf('T1'))
        for (const seed of [1, 2]) {
          const r = simulate(policyByName(name), trace, seed);
          expect(r.makespanSeconds, `${name} ${trace.name}`).toBeGreaterThanOrEqual(
            trace.lowerBoundSeconds! - 1e-6,
          );
          expect(r.calls).toBeGreaterThan(14 * 5);
        }
  });

  it('serves the same calls to every policy for a seed', () => {
    const trace = t1(1);
    const calls = POLICY_NAMES.map((p) => simulate(policyByName(p), trace, 3).calls);
    expect(new Set(calls).size).toBe(1);
  });

  it('repeats a run exactly for a seed and differs across seeds', () => {
    const trace = t2(0.5);
    const a = simulate(policyByName('gxa'), trace, 1);
    const b = simulate(policyByName('gxa'), trace, 1);
    const c = simulate(policyByName('gxa'), trace, 2);
    expect(b.waits).toEqual(a.waits);
    expect(c.waits).not.toEqual(a.waits);
  });
});

describe('GXA on T4 (issue 19)', () => {
  const t4At = (waitTargetMs: number): Trace => {
    const t = t4();
    return { ...t, options: { ...t.options, waitTargetMs } };
  };

  it('ends a run whose only pending event is an aging timer past the end (unbounded W_target)', () => {
    const m = simulate(policyByName('gxa'), t4At(Number.MAX_SAFE_INTEGER), 3);
    expect(m.calls).toBeGreaterThan(0);
    expect(m.waitByModel.trickle?.max).toBeGreaterThan(0);
  });

  it('counts visits per server and model, and the floor of two loads per trickle visit', () => {
    const m = simulate(policyByName('gxa'), t4(), 1);
    const trickle = m.visitsByModel.pro?.trickle ?? 0;
    expect(trickle).toBeGreaterThan(0);
    expect(m.swapFloor).toBe(2 * trickle);
    expect(m.swaps).toBe(Object.values(m.visitsByModel.pro ?? {}).reduce((a, n) => a + n, 0));
  });
});
