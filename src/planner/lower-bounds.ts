// Lower bounds on the makespan of any feasible plan (DESIGN.md "Offline planner"). All in seconds.
import { maskFits } from './residency.ts';
import { minDuration, minLoad, residentAnywhere, type PlanProblem } from './problem.ts';

export interface LowerBounds {
  /** longest dependency chain, with the first load and (one server) the loads between exclusive models */
  criticalPath: number;
  /** total work plus mandatory loads over the servers able to do it (exact LP value for equal-speed servers) */
  capacity: number;
  /** one server only: total work plus the loads forced by runs of a model split by exclusive models */
  swapForced: number | null;
  /** the longest single task, with its first load */
  largestTask: number;
  max: number;
}

export function lowerBounds(problem: PlanProblem): LowerBounds {
  const head = heads(problem);
  const criticalPath = criticalPathBound(problem, head);
  const capacity = capacityBound(problem, head);
  const swapForced = problem.servers.length === 1 ? swapForcedBound(problem) : null;
  const largestTask = Math.max(0, ...problem.tasks.map((t) => releaseOf(problem, t.model) + minDuration(t)));
  return {
    criticalPath,
    capacity,
    swapForced,
    largestTask,
    max: Math.max(criticalPath, capacity, swapForced ?? 0, largestTask),
  };
}

/** earliest a task of model m can start: after a load unless some server holds m at t = 0 */
export function releaseOf(problem: PlanProblem, m: number): number {
  return residentAnywhere(problem, m) ? 0 : minLoad(problem, m);
}

/** true when models a and b can never be resident together on the (single) server s */
export function exclusiveOn(problem: PlanProblem, s: number, a: number, b: number): boolean {
  if (a === b) return false;
  return !maskFits(problem.servers[s]!, (1 << a) | (1 << b));
}

/** earliest start of each task: its model's first load, then its predecessors (one server: plus swaps) */
export function heads(problem: PlanProblem): number[] {
  const { tasks } = problem;
  const single = problem.servers.length === 1;
  const est = tasks.map(() => 0);
  for (const j of problem.topo) {
    const t = tasks[j]!;
    let e = releaseOf(problem, t.model);
    for (const p of t.preds) {
      const gap =
        single && exclusiveOn(problem, 0, tasks[p]!.model, t.model)
          ? problem.servers[0]!.loadSeconds[t.model]!
          : 0;
      e = Math.max(e, est[p]! + minDuration(tasks[p]!) + gap);
    }
    est[j] = e;
  }
  return est;
}

function criticalPathBound(problem: PlanProblem, head: readonly number[]): number {
  return Math.max(0, ...problem.tasks.map((t, j) => head[j]! + minDuration(t)));
}

/**
 * For every set T of servers, the work that only T can do must fit in |T| x makespan. With servers of
 * equal speed the best T gives the value of the fractional (LP) assignment; with unequal speeds each
 * task counts at its fastest server, which is weaker but still valid. Energetic refinement: before a
 * time h a task can only have done h - head of its work, so the rest needs |T| servers after h.
 */
function capacityBound(problem: PlanProblem, head: readonly number[]): number {
  const S = problem.servers.length;
  const capable = problem.tasks.map((t) =>
    t.durations.reduce<number>((mask, d, s) => (d === undefined ? mask : mask | (1 << s)), 0),
  );
  const modelServers = problem.models.map((_, m) =>
    problem.servers.reduce((mask, s, i) => (s.loadSeconds[m] === undefined ? mask : mask | (1 << i)), 0),
  );
  const used = new Set(problem.tasks.map((t) => t.model));
  const slow = slowdowns(problem);
  const subsets = S <= 12 ? Array.from({ length: (1 << S) - 1 }, (_, i) => i + 1) : [(1 << S) - 1];
  let best = 0;
  for (const T of subsets) {
    const only = problem.tasks.flatMap((t, j) =>
      (capable[j]! & ~T) === 0 ? [{ p: minDuration(t), head: head[j]! }] : [],
    );
    let work = 0;
    for (const x of only) work += x.p;
    let loads = 0;
    for (const m of used) if ((modelServers[m]! & ~T) === 0) loads += releaseOf(problem, m);
    // Server s does at most 1/g_s seconds of fastest-server work per second.
    let rate = 0;
    let minRate = Infinity;
    for (let s = 0; s < S; s++)
      if (T & (1 << s)) {
        rate += 1 / slow[s]!;
        minRate = Math.min(minRate, 1 / slow[s]!);
      }
    best = Math.max(best, (work + minRate * loads) / rate, energetic(only, work, rate));
  }
  return best;
}

/**
 * g_s >= 1 per server: how much slower than the fastest server it is at best, over the tasks it can
 * run (1 when servers are equal). Work measured at the fastest server fits at rate 1/g_s on s.
 */
export function slowdowns(problem: PlanProblem): number[] {
  const fastest = problem.tasks.map(minDuration);
  return problem.servers.map((_, s) => {
    let g = Infinity;
    problem.tasks.forEach((t, j) => {
      const d = t.durations[s];
      if (d !== undefined) g = Math.min(g, d / fastest[j]!);
    });
    return g === Infinity ? 1 : g;
  });
}

/** max over h of h + (work that cannot be done before h) / (the servers' rate) */
function energetic(tasks: ReadonlyArray<{ p: number; head: number }>, work: number, servers: number): number {
  let best = 0;
  for (const h of new Set(tasks.map((t) => t.head))) {
    if (h <= 0) continue;
    let before = 0;
    for (const t of tasks) if (t.head < h) before += Math.min(t.p, h - t.head);
    best = Math.max(best, h + (work - before) / servers);
  }
  return best;
}

function swapForcedBound(problem: PlanProblem): number {
  let total = 0;
  for (const t of problem.tasks) total += minDuration(t);
  const server = problem.servers[0]!;
  const used = new Set(problem.tasks.map((t) => t.model));
  for (const m of used) {
    const initial = (server.initialMask & (1 << m)) !== 0 ? 1 : 0;
    total += Math.max(0, maxRuns(problem, m) - initial) * server.loadSeconds[m]!;
  }
  return total;
}

/**
 * The most maximal runs of model m along one dependency path, where a run ends at a task whose model
 * cannot be resident beside m. Each run after the first needs its own load of m.
 */
export function maxRuns(problem: PlanProblem, m: number, skip?: (task: number) => boolean): number {
  const { tasks } = problem;
  const open = tasks.map(() => -Infinity);
  const closed = tasks.map(() => -Infinity);
  let best = 0;
  for (const j of problem.topo) {
    if (skip?.(j)) continue;
    const t = tasks[j]!;
    let o = -Infinity;
    let c = -Infinity;
    for (const p of t.preds) {
      if (skip?.(p)) continue;
      o = Math.max(o, open[p]!);
      c = Math.max(c, closed[p]!);
    }
    if (t.model === m) {
      open[j] = Math.max(1, o, c + 1);
    } else if (exclusiveOn(problem, 0, t.model, m)) {
      closed[j] = Math.max(0, o, c);
    } else {
      open[j] = o;
      closed[j] = Math.max(0, c);
    }
    best = Math.max(best, open[j]!, closed[j]!);
  }
  return best;
}
