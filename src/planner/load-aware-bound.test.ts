import { describe, expect, it } from 'vitest';
import { LoadAwareBound } from './load-aware-bound.ts';
import type { PlanProblem } from './problem.ts';

// Two servers of equal speed; model 0 resident on s0, loads in 30 s on s1. 100 s of model-0 work left.
const problem = {
  servers: [0, 1].map((s) => ({ loadSeconds: [30, 30], initialMask: s === 0 ? 1 : 0 })),
} as unknown as PlanProblem;

describe('LoadAwareBound', () => {
  const bound = new LoadAwareBound(problem, [1, 1]);

  it('charges a load to the server that would help', () => {
    // alone on s0: 100 s; shared: (100 + 30 for the load on s1) / 2 = 65 s
    expect(bound.bound([100, 0], [0, 0], [1, 0], 0)).toBe(65);
  });

  it('counts a server idle behind the last start as lost capacity', () => {
    expect(bound.bound([100, 0], [0, 0], [1, 0], 50)).toBe(100);
  });

  it('needs a load for every model resident nowhere', () => {
    // model 1 resident nowhere: one server loading it needs 30 + 40 s; both, 30 + 20 s each
    expect(bound.bound([0, 40], [0, 0], [1, 0], 0)).toBe(50);
  });
});
