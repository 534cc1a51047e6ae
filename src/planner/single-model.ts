// The seed notes' "simplify" option: run every agent whose model is a peer of the pipeline's main
// model (same size class, and never resident beside it) on the main model instead, so the big
// models stop swapping. Smaller models stay. It changes the agents' models, so its plan answers a
// different question and is never picked as "best".
import { minDuration, type PlanProblem, type PlanTask } from './problem.ts';
import { maskFits } from './residency.ts';

export interface Substitution {
  problem: PlanProblem;
  /** model name -> the model that replaces it */
  replaced: Map<string, string>;
}

const PEER_MEMORY_RATIO = 0.75;

export function singleModelProblem(problem: PlanProblem): Substitution {
  const { models, servers, tasks } = problem;
  const work = models.map(() => 0);
  for (const t of tasks) work[t.model]! += minDuration(t);
  const main = work.indexOf(Math.max(...work));
  const memory = (m: number): number =>
    Math.max(...servers.map((s) => s.memoryOf[m] ?? 0).filter((x) => !Number.isNaN(x)));
  const replaced = new Map<string, string>();
  const substitute = models.map((_, m) => {
    if (m === main || work[m] === 0 || memory(m) < PEER_MEMORY_RATIO * memory(main)) return m;
    const beside = servers.some((s) => maskFits(s, (1 << m) | (1 << main)));
    const everywhere = servers.every(
      (s) => s.loadSeconds[m] === undefined || s.loadSeconds[main] !== undefined,
    );
    if (beside || !everywhere) return m;
    replaced.set(models[m]!, models[main]!);
    return main;
  });
  const newTasks: PlanTask[] = tasks.map((t) => {
    const model = substitute[t.model]!;
    if (model === t.model) return t;
    return {
      ...t,
      model,
      durations: t.durations.map((d, s) => (servers[s]!.loadSeconds[model] === undefined ? undefined : d)),
    };
  });
  return { problem: { ...problem, tasks: newTasks }, replaced };
}
