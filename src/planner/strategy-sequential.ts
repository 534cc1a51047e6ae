// "sequential": model-first phases, as the seed notes planned by hand. Each phase serves one model
// (the one with the most eligible work) until none of its agents is eligible; the next phase starts
// when the previous one has ended on every server.
import type { PlanProblem } from './problem.ts';
import { ScheduleBuilder, type Schedule } from './schedule.ts';
import { earliestEndServer } from './strategy-dependency.ts';

export function sequentialStrategy(problem: PlanProblem): Schedule {
  const b = new ScheduleBuilder(problem);
  while (!b.done()) {
    const model = phaseModel(b);
    for (;;) {
      const next = problem.topo.find((j) => b.isEligible(j) && problem.tasks[j]!.model === model);
      if (next === undefined) break;
      b.place(next, earliestEndServer(b, next));
    }
    const barrier = Math.max(...b.free);
    b.free.fill(barrier);
  }
  return b.build();
}

function phaseModel(b: ScheduleBuilder): number {
  const work = b.problem.models.map(() => 0);
  for (const j of b.problem.topo)
    if (b.isEligible(j)) work[b.problem.tasks[j]!.model]! += Math.min(...definedDurations(b, j));
  let best = 0;
  work.forEach((w, m) => {
    if (w > work[best]!) best = m;
  });
  return best;
}

function definedDurations(b: ScheduleBuilder, j: number): number[] {
  return b.problem.tasks[j]!.durations.filter((d): d is number => d !== undefined);
}
