// Lower bounds on the makespan of any completion of a partial schedule, for the exact search.
// Seconds throughout.
import { LoadAwareBound } from './load-aware-bound.ts';
import { exclusiveOn, maxRuns, slowdowns } from './lower-bounds.ts';
import { minDuration, type PlanProblem } from './problem.ts';

export class SearchBounds {
  readonly #p: PlanProblem;
  readonly #minDur: number[];
  readonly #single: boolean;
  /** single server: gap[p][j] = load of j's model when p's and j's models cannot be resident together */
  readonly #gap: number[][];
  readonly #est: number[];
  readonly #slow: number[];
  readonly #rate: number;
  readonly #minRate: number;
  readonly #loadAware: LoadAwareBound;
  /** scratch: remaining work per model */
  readonly #byModel: number[];

  constructor(problem: PlanProblem) {
    this.#p = problem;
    this.#minDur = problem.tasks.map(minDuration);
    this.#single = problem.servers.length === 1;
    this.#gap = problem.tasks.map((a) =>
      problem.tasks.map((b) =>
        this.#single && exclusiveOn(problem, 0, a.model, b.model)
          ? problem.servers[0]!.loadSeconds[b.model]!
          : 0,
      ),
    );
    this.#est = problem.tasks.map(() => 0);
    this.#slow = slowdowns(problem);
    this.#rate = this.#slow.reduce((a, g) => a + 1 / g, 0);
    this.#minRate = Math.min(...this.#slow.map((g) => 1 / g));
    this.#loadAware = new LoadAwareBound(problem, this.#slow);
    this.#byModel = problem.models.map(() => 0);
  }

  /**
   * `finish[j]` is NaN for unscheduled tasks; every unscheduled task starts at or after `lastStart`
   * (schedules are listed in start order).
   */
  bound(
    free: readonly number[],
    mask: readonly number[],
    finish: readonly number[],
    lastStart: number,
  ): number {
    const cp = this.#criticalPath(free, mask, finish, lastStart);
    const cap = this.#capacity(free, mask, finish, lastStart);
    return Math.max(cp, cap);
  }

  /** loads any completion still needs: forced runs on one server, else models resident nowhere */
  loadsNeeded(mask: readonly number[], finish: readonly number[]): number {
    const needed = new Set<number>();
    this.#p.tasks.forEach((t, j) => {
      if (Number.isNaN(finish[j]!)) needed.add(t.model);
    });
    let loads = 0;
    const skip = (j: number): boolean => !Number.isNaN(finish[j]!);
    for (const m of needed) {
      const resident = mask.some((x) => (x & (1 << m)) !== 0) ? 1 : 0;
      loads += this.#single ? Math.max(0, maxRuns(this.#p, m, skip) - resident) : 1 - resident;
    }
    return loads;
  }

  #criticalPath(
    free: readonly number[],
    mask: readonly number[],
    finish: readonly number[],
    lastStart: number,
  ): number {
    const { tasks, servers } = this.#p;
    let best = 0;
    for (const j of this.#p.topo) {
      if (!Number.isNaN(finish[j]!)) continue;
      const t = tasks[j]!;
      let avail = Infinity;
      for (let s = 0; s < servers.length; s++) {
        if (t.durations[s] === undefined) continue;
        const a = free[s]! + ((mask[s]! & (1 << t.model)) !== 0 ? 0 : servers[s]!.loadSeconds[t.model]!);
        if (a < avail) avail = a;
      }
      let e = Math.max(lastStart, avail);
      for (const q of t.preds) {
        const f = finish[q]!;
        const qEnd = Number.isNaN(f) ? this.#est[q]! + this.#minDur[q]! : f;
        // A scheduled predecessor's model may still be resident, so only unscheduled ones force a load.
        e = Math.max(e, qEnd + (Number.isNaN(f) ? this.#gap[q]![j]! : 0));
      }
      this.#est[j] = e;
      best = Math.max(best, e + this.#minDur[j]!);
    }
    return best;
  }

  // Loads and agents still to run fit after each server's free time; the agents alone also fit after
  // the last start (schedules are listed in start order).
  #capacity(
    free: readonly number[],
    mask: readonly number[],
    finish: readonly number[],
    lastStart: number,
  ): number {
    const { tasks, servers } = this.#p;
    let taskWork = 0;
    const needed = new Set<number>();
    const byModel = this.#byModel.fill(0);
    tasks.forEach((t, j) => {
      if (!Number.isNaN(finish[j]!)) return;
      taskWork += this.#minDur[j]!;
      byModel[t.model]! += this.#minDur[j]!;
      needed.add(t.model);
    });
    // Work is counted at the fastest server; server s does 1/g_s of it per second (see slowdowns).
    let work = taskWork;
    let afterLast = taskWork;
    free.forEach((f, s) => {
      work += f / this.#slow[s]!;
      afterLast += Math.max(f, lastStart) / this.#slow[s]!;
    });
    const tasksOnly = afterLast / this.#rate;
    if (this.#single) return Math.max(tasksOnly, work + this.#forcedLoads(mask[0]!, finish, needed));
    let loads = 0;
    for (const m of needed) {
      if (mask.some((x) => (x & (1 << m)) !== 0)) continue;
      let l = Infinity;
      for (const s of servers) l = Math.min(l, s.loadSeconds[m] ?? Infinity);
      loads += l;
    }
    const loadAware = this.#loadAware.bound(byModel, free, mask, lastStart);
    return Math.max(tasksOnly, (work + this.#minRate * loads) / this.#rate, loadAware);
  }

  // One server: each run of a model along a path of unscheduled tasks needs a load, except a first
  // run served by the model resident now.
  #forcedLoads(mask: number, finish: readonly number[], needed: Set<number>): number {
    let total = 0;
    const skip = (j: number): boolean => !Number.isNaN(finish[j]!);
    for (const m of needed) {
      const runs = maxRuns(this.#p, m, skip) - ((mask & (1 << m)) !== 0 ? 1 : 0);
      total += Math.max(0, runs) * this.#p.servers[0]!.loadSeconds[m]!;
    }
    return total;
  }
}
