// A plan's schedule, and the builder every strategy uses to append tasks to servers. Times are
// seconds from the start of the pipeline. A server does one thing at a time (the "work" model of
// DESIGN.md: one unit of work per unit of time whatever the parallelism), loads included.
import { AppError } from '../core/errors/index.ts';
import { EPS, type PlanProblem } from './problem.ts';
import { Residency } from './residency.ts';

export interface TaskSlot {
  task: number;
  server: number;
  start: number;
  end: number;
}

export interface LoadEvent {
  server: number;
  model: number;
  start: number;
  end: number;
  /** models unloaded to make room (bit mask) */
  evictedMask: number;
  /** residents once the load is done (bit mask) */
  residentAfter: number;
}

export interface Schedule {
  /** indexed by task */
  slots: readonly TaskSlot[];
  loads: readonly LoadEvent[];
  makespan: number;
}

export interface ScheduleStats {
  makespan: number;
  /** loads that unloaded a resident model */
  swaps: number;
  loads: number;
  loadSeconds: number;
}

export function statsOf(schedule: Schedule): ScheduleStats {
  let swaps = 0;
  let loadSeconds = 0;
  for (const l of schedule.loads) {
    if (l.evictedMask !== 0) swaps++;
    loadSeconds += l.end - l.start;
  }
  return { makespan: schedule.makespan, swaps, loads: schedule.loads.length, loadSeconds };
}

/** Appends tasks to servers in the order given; each task starts as early as its server and predecessors allow. */
export class ScheduleBuilder {
  readonly problem: PlanProblem;
  readonly residency: Residency;
  readonly free: number[];
  readonly mask: number[];
  readonly finish: number[];
  readonly slots: (TaskSlot | undefined)[];
  readonly loads: LoadEvent[] = [];
  placed = 0;

  constructor(problem: PlanProblem, residency = new Residency(problem.servers)) {
    this.problem = problem;
    this.residency = residency;
    this.free = problem.servers.map(() => 0);
    this.mask = problem.servers.map((s) => s.initialMask);
    this.finish = problem.tasks.map(() => NaN);
    this.slots = problem.tasks.map(() => undefined);
  }

  canRun(task: number, server: number): boolean {
    return this.problem.tasks[task]!.durations[server] !== undefined;
  }

  /** all predecessors placed */
  isEligible(task: number): boolean {
    return this.slots[task] === undefined && this.problem.tasks[task]!.preds.every((p) => this.slots[p]);
  }

  /** latest finish of the task's predecessors (all must be placed) */
  readyAt(task: number): number {
    let t = 0;
    for (const p of this.problem.tasks[task]!.preds) t = Math.max(t, this.finish[p]!);
    return t;
  }

  isResident(server: number, model: number): boolean {
    return (this.mask[server]! & (1 << model)) !== 0;
  }

  /** seconds of loading the task would need on the server (0 when its model is resident) */
  setupOn(task: number, server: number): number {
    const m = this.problem.tasks[task]!.model;
    return this.isResident(server, m) ? 0 : this.problem.servers[server]!.loadSeconds[m]!;
  }

  startOn(task: number, server: number): number {
    return Math.max(this.free[server]! + this.setupOn(task, server), this.readyAt(task));
  }

  endOn(task: number, server: number): number {
    return this.startOn(task, server) + this.problem.tasks[task]!.durations[server]!;
  }

  /**
   * Places the task on the server, loading its model first when needed. `keep` picks the resident set
   * after the load among the maximal ones (default: the first, or the one `chooseKeep` prefers).
   */
  place(task: number, server: number, keep?: number): TaskSlot {
    const t = this.problem.tasks[task]!;
    const dur = t.durations[server];
    if (dur === undefined)
      throw new AppError('internal', `task ${t.id} cannot run on ${this.problem.servers[server]!.name}`);
    if (!this.isResident(server, t.model)) {
      const options = this.residency.afterLoad(server, this.mask[server]!, t.model);
      const after = keep ?? this.#preferredKeep(options);
      if (after === undefined || !options.includes(after))
        throw new AppError(
          'internal',
          `model ${this.problem.models[t.model]} does not fit on ${this.problem.servers[server]!.name}`,
        );
      const start = this.free[server]!;
      const end = start + this.problem.servers[server]!.loadSeconds[t.model]!;
      this.loads.push({
        server,
        model: t.model,
        start,
        end,
        evictedMask: this.mask[server]! & ~after,
        residentAfter: after,
      });
      this.mask[server] = after;
      this.free[server] = end;
    }
    const start = Math.max(this.free[server]!, this.readyAt(task));
    const slot = { task, server, start, end: start + dur };
    this.slots[task] = slot;
    this.finish[task] = slot.end;
    this.free[server] = slot.end;
    this.placed++;
    return slot;
  }

  // Without a choice from the caller, keep the residents with the most work still to place: the
  // eviction victim is the model needed least (a stand-in for "needed furthest ahead").
  #preferredKeep(options: readonly number[]): number | undefined {
    if (options.length <= 1) return options[0];
    const remaining = this.problem.models.map(() => 0);
    this.problem.tasks.forEach((t, i) => {
      if (this.slots[i] === undefined) remaining[t.model]! += 1;
    });
    let best = options[0]!;
    let bestScore = -1;
    for (const o of options) {
      let score = 0;
      remaining.forEach((n, m) => {
        if (o & (1 << m)) score += n;
      });
      if (score > bestScore) [best, bestScore] = [o, score];
    }
    return best;
  }

  done(): boolean {
    return this.placed === this.problem.tasks.length;
  }

  build(): Schedule {
    if (!this.done()) throw new AppError('internal', 'schedule is incomplete');
    const slots = this.slots as TaskSlot[];
    let makespan = 0;
    for (const s of slots) makespan = Math.max(makespan, s.end);
    return { slots, loads: [...this.loads], makespan };
  }
}

/** makespan first, then swaps, then load seconds */
export function betterThan(a: ScheduleStats, b: ScheduleStats): boolean {
  if (a.makespan < b.makespan - EPS) return true;
  if (a.makespan > b.makespan + EPS) return false;
  if (a.swaps !== b.swaps) return a.swaps < b.swaps;
  return a.loadSeconds < b.loadSeconds - EPS;
}
