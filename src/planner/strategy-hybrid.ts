// "hybrid": the most critical eligible agent first (upward rank), then every other eligible agent
// of its model right behind it, so a model is loaded once per batch.
import type { PlanProblem } from './problem.ts';
import { ScheduleBuilder, type Schedule } from './schedule.ts';
import { earliestEndServer } from './strategy-dependency.ts';
import { upwardRank } from './upward-rank.ts';

export function hybridStrategy(problem: PlanProblem): Schedule {
  const rank = upwardRank(problem);
  const byRank = [...problem.topo].sort((a, b) => rank[b]! - rank[a]! || a - b);
  const b = new ScheduleBuilder(problem);
  while (!b.done()) {
    const lead = byRank.find((j) => b.isEligible(j))!;
    const model = problem.tasks[lead]!.model;
    const batch = byRank.filter((j) => b.isEligible(j) && problem.tasks[j]!.model === model);
    for (const j of batch) b.place(j, earliestEndServer(b, j));
  }
  return b.build();
}
