// "dependency": agents in dependency (topological) order, each on the server where it ends first;
// a model is swapped in whenever the next agent needs it.
import type { PlanProblem } from './problem.ts';
import { ScheduleBuilder, type Schedule } from './schedule.ts';

export function dependencyStrategy(problem: PlanProblem): Schedule {
  const b = new ScheduleBuilder(problem);
  for (const j of problem.topo) b.place(j, earliestEndServer(b, j));
  return b.build();
}

/** the server on which the task would end first (ties: fewer loads, then lower index) */
export function earliestEndServer(b: ScheduleBuilder, task: number): number {
  let best = -1;
  let bestEnd = Infinity;
  let bestSetup = Infinity;
  for (let s = 0; s < b.problem.servers.length; s++) {
    if (!b.canRun(task, s)) continue;
    const end = b.endOn(task, s);
    const setup = b.setupOn(task, s);
    if (end < bestEnd - 1e-9 || (end <= bestEnd + 1e-9 && setup < bestSetup))
      [best, bestEnd, bestSetup] = [s, end, setup];
  }
  return best;
}
