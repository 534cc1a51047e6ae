// Exact depth-first branch and bound over semi-active schedules (DESIGN.md "Offline planner").
// Tasks are listed in non-decreasing start order (ties by task index), each branch picks an
// eligible task, a server and, when a load must evict, which residents to keep; the start is
// max(server free + load if the model is not resident, predecessors' finish). Pruned by the lower
// bounds of search-bounds.ts, identical tasks and identical servers in identical states.
import { EPS, type PlanProblem } from './problem.ts';
import { Residency } from './residency.ts';
import { ScheduleBuilder, statsOf, type Schedule } from './schedule.ts';
import { SearchBounds } from './search-bounds.ts';

export interface ExactOptions {
  /** a known feasible schedule: the search only looks for strictly better ones */
  incumbent?: Schedule;
  /** give up after this many nodes (the result then says it is not proven optimal) */
  maxNodes?: number;
}

export interface ExactResult {
  schedule: Schedule | undefined;
  /** true when the search finished: the schedule is optimal (makespan, then loads) */
  proven: boolean;
  nodes: number;
}

const MEMO_LIMIT = 2_000_000;
const MEMO_LEAF_DEPTH = 3;

interface MemoEntry {
  lastStart: number;
  lastTask: number;
  makespan: number;
  loads: number;
}

interface Step {
  task: number;
  server: number;
  keep: number;
}

interface Child extends Step {
  start: number;
  end: number;
  loadEnd: number;
}

export function exactSearch(problem: PlanProblem, options: ExactOptions = {}): ExactResult {
  return new Search(problem, options).run();
}

class Search {
  readonly p: PlanProblem;
  readonly residency: Residency;
  readonly bounds: SearchBounds;
  readonly maxNodes: number;
  readonly twin: number[];
  readonly free: number[];
  readonly mask: number[];
  readonly finish: number[];
  readonly path: Step[] = [];
  nodes = 0;
  readonly memo = new Map<string, MemoEntry[]>();
  readonly sigIndex: number[];
  readonly succMask: number[];
  readonly serverOrder: number[];
  readonly useMemo: boolean;
  placedMask = 0;
  aborted = false;
  bestMakespan = Infinity;
  bestLoads = Infinity;
  bestPath: Step[] | undefined;
  incumbent: Schedule | undefined;

  constructor(problem: PlanProblem, options: ExactOptions) {
    this.p = problem;
    this.residency = new Residency(problem.servers);
    this.bounds = new SearchBounds(problem);
    this.maxNodes = options.maxNodes ?? 2_000_000;
    this.twin = twins(problem);
    const signatures = problem.servers.map((s) => s.signature);
    this.sigIndex = signatures.map((sig) => signatures.indexOf(sig));
    this.useMemo = problem.tasks.length <= 30;
    this.succMask = problem.tasks.map((t) => t.succs.reduce((m, k) => m | (1 << k), 0));
    this.serverOrder = problem.servers.map((_, s) => s);
    this.free = problem.servers.map(() => 0);
    this.mask = problem.servers.map((s) => s.initialMask);
    this.finish = problem.tasks.map(() => NaN);
    if (options.incumbent) {
      const st = statsOf(options.incumbent);
      this.incumbent = options.incumbent;
      this.bestMakespan = st.makespan;
      this.bestLoads = st.loads;
    }
  }

  run(): ExactResult {
    this.dfs(0, -Infinity, -1, 0, 0);
    const proven = !this.aborted;
    if (!this.bestPath) return { schedule: this.incumbent, proven, nodes: this.nodes };
    const b = new ScheduleBuilder(this.p, this.residency);
    for (const step of this.bestPath) b.place(step.task, step.server, step.keep);
    return { schedule: b.build(), proven, nodes: this.nodes };
  }

  dfs(placed: number, lastStart: number, lastTask: number, makespan: number, loads: number): void {
    if (this.aborted) return;
    if (++this.nodes > this.maxNodes) {
      this.aborted = true;
      return;
    }
    if (placed === this.p.tasks.length) {
      if (
        makespan < this.bestMakespan - EPS ||
        (makespan <= this.bestMakespan + EPS && loads < this.bestLoads)
      ) {
        this.bestMakespan = makespan;
        this.bestLoads = loads;
        this.bestPath = [...this.path];
      }
      return;
    }
    const lb = Math.max(makespan, this.bounds.bound(this.free, this.mask, this.finish, lastStart));
    if (lb > this.bestMakespan + EPS) return;
    if (
      lb >= this.bestMakespan - EPS &&
      loads + this.bounds.loadsNeeded(this.mask, this.finish) >= this.bestLoads
    )
      return;
    // Near the leaves subtrees are too small to be worth remembering.
    if (
      placed + MEMO_LEAF_DEPTH < this.p.tasks.length &&
      this.seenBetter(lastStart, lastTask, makespan, loads)
    )
      return;
    for (const c of this.children(lastStart, lastTask)) {
      const loaded = c.loadEnd > 0 ? 1 : 0;
      if (this.pruned(Math.max(lb, c.end), loads + loaded)) continue;
      const saved = [this.free[c.server]!, this.mask[c.server]!];
      this.free[c.server] = c.end;
      this.mask[c.server] = c.keep;
      this.finish[c.task] = c.end;
      this.placedMask |= 1 << c.task;
      this.path.push(c);
      this.dfs(placed + 1, c.start, c.task, Math.max(makespan, c.end), loads + loaded);
      this.path.pop();
      this.finish[c.task] = NaN;
      this.placedMask &= ~(1 << c.task);
      [this.free[c.server], this.mask[c.server]] = saved as [number, number];
    }
  }

  // Two prefixes that leave the same agents placed, the same server states (up to relabelling
  // identical servers) and the same finish times for agents whose successors still wait have the
  // same futures. One explored earlier with no later last start, no longer makespan and no more
  // loads has already found everything this one could.
  seenBetter(lastStart: number, lastTask: number, makespan: number, loads: number): boolean {
    if (!this.useMemo || this.memo.size >= MEMO_LIMIT) return false;
    const key = this.stateKey();
    const entries = this.memo.get(key);
    const mine: MemoEntry = { lastStart, lastTask, makespan, loads };
    if (!entries) {
      this.memo.set(key, [mine]);
      return false;
    }
    for (const e of entries)
      if (
        (e.lastStart < lastStart - 2 * EPS ||
          (Math.abs(e.lastStart - lastStart) <= EPS && e.lastTask <= lastTask)) &&
        e.makespan <= makespan + EPS &&
        e.loads <= loads
      )
        return true;
    entries.push(mine);
    return false;
  }

  stateKey(): string {
    let key = `${this.placedMask}`;
    const order = this.serverOrder;
    for (let i = 0; i < order.length; i++) order[i] = i;
    // Identical servers are interchangeable: list them in a canonical order.
    order.sort(
      (a, b) =>
        this.sigIndex[a]! - this.sigIndex[b]! ||
        this.free[a]! - this.free[b]! ||
        this.mask[a]! - this.mask[b]!,
    );
    for (const s of order) key += `|${this.sigIndex[s]},${this.free[s]},${this.mask[s]}`;
    const open = ~this.placedMask;
    for (let j = 0; j < this.finish.length; j++)
      if ((this.placedMask & (1 << j)) !== 0 && (this.succMask[j]! & open) !== 0) key += `;${this.finish[j]}`;
    return key;
  }

  pruned(lb: number, loads: number): boolean {
    return lb > this.bestMakespan + EPS || (lb >= this.bestMakespan - EPS && loads >= this.bestLoads);
  }

  children(lastStart: number, lastTask: number): Child[] {
    const out: Child[] = [];
    const { tasks, servers } = this.p;
    let needed = 0;
    for (let j = 0; j < tasks.length; j++) if (Number.isNaN(this.finish[j]!)) needed |= 1 << tasks[j]!.model;
    for (let j = 0; j < tasks.length; j++) {
      if (!Number.isNaN(this.finish[j]!)) continue;
      const t = tasks[j]!;
      const tw = this.twin[j]!;
      if (tw >= 0 && Number.isNaN(this.finish[tw]!)) continue;
      let ready = 0;
      let eligible = true;
      for (const q of t.preds) {
        const f = this.finish[q]!;
        if (Number.isNaN(f)) {
          eligible = false;
          break;
        }
        if (f > ready) ready = f;
      }
      if (!eligible) continue;
      for (let s = 0; s < servers.length; s++) {
        const dur = t.durations[s];
        if (dur === undefined || this.sameAsEarlierServer(s)) continue;
        const resident = (this.mask[s]! & (1 << t.model)) !== 0;
        const keeps = resident
          ? [this.mask[s]!]
          : usefulKeeps(this.residency.afterLoad(s, this.mask[s]!, t.model), needed);
        const loadEnd = resident ? 0 : this.free[s]! + servers[s]!.loadSeconds[t.model]!;
        const start = Math.max(resident ? this.free[s]! : loadEnd, ready);
        if (start < lastStart - EPS || (start <= lastStart + EPS && j < lastTask)) continue;
        for (const keep of keeps) out.push({ task: j, server: s, keep, start, end: start + dur, loadEnd });
      }
    }
    return out.sort((a, b) => a.end - b.end || a.start - b.start);
  }

  // Servers with the same costs and the same state lead to mirror-image subtrees: try the first only.
  sameAsEarlierServer(s: number): boolean {
    const servers = this.p.servers;
    for (let r = 0; r < s; r++)
      if (
        servers[r]!.signature === servers[s]!.signature &&
        this.free[r] === this.free[s] &&
        this.mask[r] === this.mask[s]
      )
        return true;
    return false;
  }
}

/**
 * Keep-sets that retain a subset of the still-needed models another one retains are never better:
 * models no agent needs only take memory.
 */
function usefulKeeps(keeps: readonly number[], needed: number): readonly number[] {
  if (keeps.length <= 1) return keeps;
  return keeps.filter((k, i) =>
    keeps.every((o, x) => {
      const a = k & needed;
      const b = o & needed;
      return x === i || (a & b) !== a || (a === b && x > i);
    }),
  );
}

/** for each task, the previous task it is interchangeable with (same model, work, predecessors, successors), or -1 */
function twins(problem: PlanProblem): number[] {
  const key = problem.tasks.map((t) =>
    JSON.stringify([
      t.model,
      t.durations,
      [...t.preds].sort((a, b) => a - b),
      [...t.succs].sort((a, b) => a - b),
    ]),
  );
  return key.map((k, j) => (j === 0 ? -1 : key.lastIndexOf(k, j - 1)));
}
