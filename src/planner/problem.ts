// The planner's view of a pipeline on a fleet: dense indices for speed. Times are seconds.
// Built once from the pipeline file and the fleet config (see build-problem.ts).

export type Priority = 'high' | 'medium' | 'low';

export interface PlanServer {
  name: string;
  /** usable memory, GiB */
  memoryGiB: number;
  /** most models resident at once */
  maxLoaded: number;
  /** bit m set when model m is resident at t = 0 */
  initialMask: number;
  /** per model index: seconds to load it on this server; undefined when the server cannot hold it */
  loadSeconds: ReadonlyArray<number | undefined>;
  /** per model index: GiB resident (weights + KV of every slot); NaN when not held */
  memoryOf: readonly number[];
  /** equal signatures = interchangeable servers (same memory, models, load times, speeds) */
  signature: string;
}

export interface PlanTask {
  id: string;
  model: number;
  /** per server index: seconds of work; undefined when the server cannot run the task's model */
  durations: ReadonlyArray<number | undefined>;
  preds: readonly number[];
  succs: readonly number[];
  priority: Priority;
}

export interface PlanProblem {
  name: string;
  models: readonly string[];
  servers: readonly PlanServer[];
  tasks: readonly PlanTask[];
  /** task indices in a topological order */
  topo: readonly number[];
}

export const EPS = 1e-9;

/** shortest duration of a task over the servers that can run it */
export function minDuration(task: PlanTask): number {
  let best = Infinity;
  for (const d of task.durations) if (d !== undefined && d < best) best = d;
  return best;
}

/** shortest load of model m over the servers that hold it */
export function minLoad(problem: PlanProblem, m: number): number {
  let best = Infinity;
  for (const s of problem.servers) {
    const l = s.loadSeconds[m];
    if (l !== undefined && l < best) best = l;
  }
  return best;
}

export function residentAnywhere(problem: PlanProblem, m: number): boolean {
  return problem.servers.some((s) => (s.initialMask & (1 << m)) !== 0);
}

export function modelsOfMask(mask: number): number[] {
  const out: number[] = [];
  for (let m = 0; mask >> m !== 0; m++) if (mask & (1 << m)) out.push(m);
  return out;
}
