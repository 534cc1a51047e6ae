import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../lib/random.ts';
import { checkSchedule } from './feasibility.ts';
import { lowerBounds } from './lower-bounds.ts';
import { planPipeline, STRATEGY_NAMES } from './plan-pipeline.ts';
import { randomProblem } from './random-problem.ts';

describe('strategies', () => {
  it('every strategy gives a feasible schedule no shorter than the lower bound or the optimum', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 4 }),
        (seed, tasks, servers, models) => {
          const problem = randomProblem(seededRandom(seed), { tasks, servers, models });
          const report = planPipeline(problem, { campaignIterations: 30, exactMaxNodes: 200_000 });
          expect(report.plans.map((p) => p.name).sort()).toEqual([...STRATEGY_NAMES].sort());
          for (const p of report.plans) {
            expect(checkSchedule(p.problem, p.schedule)).toEqual([]);
            expect(p.stats.makespan).toBeGreaterThanOrEqual(lowerBounds(p.problem).max - 1e-9);
            if (report.optimumSeconds !== null && p.comparable)
              expect(p.stats.makespan).toBeGreaterThanOrEqual(report.optimumSeconds - 1e-9);
          }
          expect(report.plans.find((p) => p.name === report.best)!.comparable).toBe(true);
        },
      ),
      { numRuns: 60, seed: 11 },
    );
  });

  it('falls back to the campaign plan above the exact-search size and says so', () => {
    const problem = randomProblem(seededRandom(3), { tasks: 20, servers: 2, models: 3 });
    const report = planPipeline(problem, { strategies: ['optimal'], campaignIterations: 20 });
    const optimal = report.plans[0]!;
    expect(report.optimumSeconds).toBeNull();
    expect(optimal.note).toMatch(/20 agents are too many for the exact search/);
  });

  it('keeps a 7B beside a 32B when memory allows, and swaps when it does not', () => {
    const problem = randomProblem(seededRandom(5), { tasks: 6, servers: 1, models: 2 });
    const base = { ...problem.servers[0]!, loadSeconds: [10, 10], memoryOf: [20, 5], initialMask: 0 };
    const tasks = problem.tasks.map((t, j) => ({ ...t, model: j % 2, durations: [5], preds: [], succs: [] }));
    const tight = { ...problem, tasks, servers: [{ ...base, memoryGiB: 24 }] };
    const roomy = { ...problem, tasks, servers: [{ ...base, memoryGiB: 25 }] };
    const opt = (p: typeof tight) => planPipeline(p, { strategies: ['optimal'] }).plans[0]!.stats;
    expect(opt(tight)).toMatchObject({ loads: 2, makespan: 50 });
    expect(opt(roomy)).toMatchObject({ loads: 2, swaps: 0, makespan: 50 });
  });
});
