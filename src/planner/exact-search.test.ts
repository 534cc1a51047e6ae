import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../lib/random.ts';
import { exactSearch } from './exact-search.ts';
import { checkSchedule } from './feasibility.ts';
import { lowerBounds } from './lower-bounds.ts';
import { EPS, type PlanProblem } from './problem.ts';
import { randomProblem } from './random-problem.ts';
import { Residency } from './residency.ts';

// Every list schedule: any eligible task next, on any server, with any maximal keep-set. No pruning.
function bruteForce(p: PlanProblem): { makespan: number; loads: number } {
  const residency = new Residency(p.servers);
  const free = p.servers.map(() => 0);
  const mask = p.servers.map((s) => s.initialMask);
  const finish = p.tasks.map(() => NaN);
  let best = { makespan: Infinity, loads: Infinity };
  const go = (placed: number, makespan: number, loads: number): void => {
    if (placed === p.tasks.length) {
      if (makespan < best.makespan - EPS || (makespan <= best.makespan + EPS && loads < best.loads))
        best = { makespan, loads };
      return;
    }
    p.tasks.forEach((t, j) => {
      if (!Number.isNaN(finish[j]!) || t.preds.some((q) => Number.isNaN(finish[q]!))) return;
      const ready = Math.max(0, ...t.preds.map((q) => finish[q]!));
      p.servers.forEach((srv, s) => {
        const dur = t.durations[s];
        if (dur === undefined) return;
        const resident = (mask[s]! & (1 << t.model)) !== 0;
        const keeps = resident ? [mask[s]!] : residency.afterLoad(s, mask[s]!, t.model);
        const setup = resident ? 0 : srv.loadSeconds[t.model]!;
        const end = Math.max(free[s]! + setup, ready) + dur;
        for (const keep of keeps) {
          const saved = [free[s]!, mask[s]!] as const;
          [free[s], mask[s], finish[j]] = [end, keep, end];
          go(placed + 1, Math.max(makespan, end), loads + (resident ? 0 : 1));
          [free[s], mask[s], finish[j]] = [saved[0], saved[1], NaN];
        }
      });
    });
  };
  go(0, 0, 0);
  return best;
}

describe('exactSearch', () => {
  it('agrees with brute force on random small pipelines, and its schedule is feasible', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        (seed, tasks, servers, models) => {
          const n = servers === 3 ? Math.min(tasks, 5) : tasks;
          const p = randomProblem(seededRandom(seed), { tasks: n, servers, models });
          const exact = exactSearch(p);
          const brute = bruteForce(p);
          expect(exact.proven).toBe(true);
          expect(exact.schedule!.makespan).toBeCloseTo(brute.makespan, 9);
          expect(exact.schedule!.loads.length).toBe(brute.loads);
          expect(checkSchedule(p, exact.schedule!)).toEqual([]);
          expect(lowerBounds(p).max).toBeLessThanOrEqual(brute.makespan + EPS);
        },
      ),
      { numRuns: 150, seed: 4 },
    );
  });

  it('says when it gave up before proving optimality', () => {
    const p = randomProblem(seededRandom(7), { tasks: 8, servers: 2, models: 3 });
    const r = exactSearch(p, { maxNodes: 5 });
    expect(r.proven).toBe(false);
  });
});
