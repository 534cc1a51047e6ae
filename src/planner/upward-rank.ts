// Setup-aware upward rank: the longest chain of work from a task to the end of the pipeline, with a
// load wherever the chain changes model. Higher = more critical. Seconds (plus a millisecond for
// high-priority agents, minus one for low ones).
import { minDuration, minLoad, type PlanProblem } from './problem.ts';

export function upwardRank(problem: PlanProblem): number[] {
  const { tasks } = problem;
  const rank = tasks.map(() => 0);
  for (let k = problem.topo.length - 1; k >= 0; k--) {
    const j = problem.topo[k]!;
    const t = tasks[j]!;
    let tail = 0;
    for (const s of t.succs) {
      const setup = tasks[s]!.model === t.model ? 0 : minLoad(problem, tasks[s]!.model);
      tail = Math.max(tail, rank[s]! + setup);
    }
    rank[j] = minDuration(t) + tail;
  }
  // The pipeline's priority only breaks ties between equally critical agents: the objective stays
  // the makespan.
  return rank.map((r, j) => r + PRIORITY_TIE[problem.tasks[j]!.priority]);
}

const PRIORITY_TIE = { high: 1e-3, medium: 0, low: -1e-3 } as const;
