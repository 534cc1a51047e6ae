// Event-driven campaign construction (DESIGN.md "Offline planner"): the server that frees up first
// keeps serving its resident models' ready agents; otherwise it switches to the model with the
// smallest batch Smith ratio (idle + load time per second of work it can then serve), preferring
// models at home on it and leaving a model to the servers that already hold it when they will get
// to its work sooner. It leaves a model that still has ready agents only for clearly more critical
// agents of another. Priorities, homes and margins are the knobs local search turns.
import { EPS, type PlanProblem } from './problem.ts';
import { ScheduleBuilder, type Schedule } from './schedule.ts';

export interface CampaignParams {
  /** per task: higher runs first among ready agents of one model */
  priority: readonly number[];
  /** per model: bit mask of its home servers */
  homes: readonly number[];
  /** factor on the ratio of a load away from the model's homes */
  foreignPenalty: number;
  /** a server loads a model away from its homes only when nothing else can move */
  strictHomes: boolean;
  /**
   * the lead in priority (seconds of rank) that another model's ready agents need before a server
   * leaves its resident model while that one still has ready agents; Infinity = never
   */
  switchMargin: number;
}

interface Option {
  model: number;
  start: number;
  ratio: number;
  /** highest priority among the agents it would serve first */
  top: number;
  /** only a load that the servers holding the model make pointless */
  deferrable?: boolean;
}

export function campaignSchedule(problem: PlanProblem, params: CampaignParams): Schedule {
  const b = new ScheduleBuilder(problem);
  const eligible = new Set(problem.tasks.flatMap((t, j) => (t.preds.length === 0 ? [j] : [])));
  const waiting = problem.tasks.map((t) => t.preds.length);
  // Servers with nothing useful to do until something else is placed (reset after each placement).
  const deferred = new Set<number>();
  while (!b.done()) {
    let s = nextServer(b, eligible, deferred);
    const force = s < 0;
    if (force) s = nextServer(b, eligible, new Set());
    const option = chooseOption(b, s, eligible, params);
    if (option.deferrable && !force) {
      // Nothing useful to do here yet: idle until the next completion, or let the others go first.
      const next = nextEvent(b, b.free[s]!);
      if (next < Infinity) b.free[s] = next;
      else deferred.add(s);
      continue;
    }
    const task = pickTask(b, s, eligible, option, params.priority);
    b.place(task, s);
    deferred.clear();
    eligible.delete(task);
    for (const k of problem.tasks[task]!.succs) if (--waiting[k]! === 0) eligible.add(k);
  }
  return b.build();
}

function nextServer(b: ScheduleBuilder, eligible: Set<number>, skip: Set<number>): number {
  let best = -1;
  for (let s = 0; s < b.problem.servers.length; s++) {
    if (skip.has(s) || (best >= 0 && b.free[s]! >= b.free[best]!)) continue;
    for (const j of eligible)
      if (b.canRun(j, s)) {
        best = s;
        break;
      }
  }
  return best;
}

function chooseOption(b: ScheduleBuilder, s: number, eligible: Set<number>, params: CampaignParams): Option {
  const { problem } = b;
  const t = b.free[s]!;
  const readyMin = problem.models.map(() => Infinity);
  const backlog = problem.models.map(() => 0);
  const shortest = problem.models.map(() => Infinity);
  for (const j of eligible) {
    if (!b.canRun(j, s)) continue;
    const m = problem.tasks[j]!.model;
    const d = problem.tasks[j]!.durations[s]!;
    readyMin[m] = Math.min(readyMin[m]!, b.readyAt(j));
    backlog[m]! += d;
    shortest[m] = Math.min(shortest[m]!, d);
  }
  const options: Option[] = [];
  const fallback: Option[] = [];
  readyMin.forEach((ready, m) => {
    if (ready === Infinity) return;
    const resident = b.isResident(s, m);
    const load = resident ? 0 : problem.servers[s]!.loadSeconds[m]!;
    const start = Math.max(t + load, ready);
    let batch = 0;
    let top = -Infinity;
    for (const j of eligible) {
      if (problem.tasks[j]!.model !== m || !b.canRun(j, s)) continue;
      const r = b.readyAt(j);
      if (r <= start + load + EPS) batch += problem.tasks[j]!.durations[s]!;
      if (r <= start + EPS) top = Math.max(top, params.priority[j]!);
    }
    if (resident && ready <= t + EPS) return options.push({ model: m, start, ratio: -1, top });
    const home = (params.homes[m]! & (1 << s)) !== 0;
    const ratio = ((start - t) / batch) * (resident || home ? 1 : params.foreignPenalty);
    const option = { model: m, start, ratio, top };
    const pointless = holdersAreSooner(b, s, m, start + shortest[m]!, backlog[m]!);
    (resident || (!pointless && (home || !params.strictHomes)) ? options : fallback).push(option);
  });
  if (options.length === 0) return { ...best(fallback), deferrable: true };
  const chosen = best(options);
  // Leave a model that still has ready agents only for clearly more critical agents of another.
  if (chosen.ratio < 0) {
    const urgent = options.reduce((a, o) => (o.top > a.top ? o : a));
    if (urgent.top - chosen.top > params.switchMargin) return urgent;
  }
  return chosen;
}

function best(pool: Option[]): Option {
  return pool.reduce((a, o) =>
    o.ratio < a.ratio - EPS || (o.ratio <= a.ratio + EPS && o.start < a.start) ? o : a,
  );
}

// Servers that already hold the model (other than s) will clear its backlog before s could finish
// even one of its agents: loading it on s too would only cost a swap.
function holdersAreSooner(
  b: ScheduleBuilder,
  s: number,
  m: number,
  firstEnd: number,
  backlog: number,
): boolean {
  let holders = 0;
  let soonest = Infinity;
  for (let r = 0; r < b.problem.servers.length; r++) {
    if (r === s || !b.isResident(r, m)) continue;
    holders++;
    soonest = Math.min(soonest, b.free[r]!);
  }
  return holders > 0 && soonest + backlog / holders <= firstEnd + EPS;
}

/** the first time after t at which a placed agent finishes */
function nextEvent(b: ScheduleBuilder, t: number): number {
  let next = Infinity;
  for (const f of b.finish) if (f > t + EPS && f < next) next = f;
  return next;
}

function pickTask(
  b: ScheduleBuilder,
  s: number,
  eligible: Set<number>,
  o: Option,
  priority: readonly number[],
): number {
  let best = -1;
  for (const j of eligible) {
    if (b.problem.tasks[j]!.model !== o.model || !b.canRun(j, s) || b.readyAt(j) > o.start + EPS) continue;
    if (best < 0 || priority[j]! > priority[best]!) best = j;
  }
  return best;
}
