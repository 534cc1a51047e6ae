// "campaign": setup-aware upward rank, home servers by memory bin packing, event-driven campaign
// construction, then local search (DESIGN.md "Offline planner"), for pipelines of any size.
import { seededRandom } from '../lib/random.ts';
import { homeServers } from './home-servers.ts';
import { localSearch } from './local-search.ts';
import { minDuration, type PlanProblem } from './problem.ts';
import { betterThan, statsOf, type Schedule } from './schedule.ts';
import { upwardRank } from './upward-rank.ts';

export interface CampaignOptions {
  /** local-search evaluations (default scales down with size to keep large pipelines fast) */
  iterations?: number;
  seed?: number;
  /** stop once this makespan is reached (a lower bound), seconds */
  target?: number;
}

export function campaignStrategy(problem: PlanProblem, options: CampaignOptions = {}): Schedule {
  const n = problem.tasks.length;
  const iterations =
    options.iterations ?? Math.max(300, Math.min(2000, Math.round(15_000_000 / Math.max(1, n * n))));
  const rank = upwardRank(problem);
  // Agents that unlock much work for other models go first, so the servers of those models get busy early.
  const unlock = unlockedWork(problem);
  const priority = rank.map((r, j) => r + 2 * unlock[j]!);
  const homes = homeServers(problem);
  // Two starting points: models kept strictly to their homes, or allowed elsewhere at a price.
  let best: Schedule | undefined;
  for (const strictHomes of [true, false]) {
    const start = { priority, homes, foreignPenalty: 2, strictHomes, switchMargin: Infinity };
    const rng = seededRandom((options.seed ?? 1) + (strictHomes ? 0 : 7919));
    const r = localSearch(problem, start, rng, Math.ceil(iterations / 2), options.target);
    if (!best || betterThan(statsOf(r.schedule), statsOf(best))) best = r.schedule;
  }
  return best!;
}

/** per task: the work of its descendants that run on another model, seconds */
function unlockedWork(problem: PlanProblem): number[] {
  const { tasks } = problem;
  return tasks.map((t, j) => {
    const seen = new Set<number>([j]);
    const stack = [...t.succs];
    let work = 0;
    while (stack.length > 0) {
      const k = stack.pop()!;
      if (seen.has(k)) continue;
      seen.add(k);
      if (tasks[k]!.model !== t.model) work += minDuration(tasks[k]!);
      stack.push(...tasks[k]!.succs);
    }
    return work;
  });
}
