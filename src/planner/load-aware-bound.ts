// A capacity bound that knows a server must load a model before serving it. For every choice of
// which non-resident models each server will take on (paying one load each), the remaining work
// must flow to servers allowed to do it: by Hall's condition, every set of models needs
// W(models) <= sum over the servers allowed any of them of (C - free - loads) / g. The bound is the
// smallest C over all choices. Work is counted at the fastest server (g as in lower-bounds.ts).
import type { PlanProblem } from './problem.ts';

/** choices beyond this many per node are not enumerated (the bound is then skipped) */
const MAX_COMBOS = 256;

export class LoadAwareBound {
  readonly #p: PlanProblem;
  readonly #slow: readonly number[];
  /** per server: models it can hold (mask) */
  readonly #holds: number[];

  constructor(problem: PlanProblem, slow: readonly number[]) {
    this.#p = problem;
    this.#slow = slow;
    this.#holds = problem.servers.map((s) =>
      s.loadSeconds.reduce<number>((mask, l, m) => (l === undefined ? mask : mask | (1 << m)), 0),
    );
  }

  /**
   * `work[m]`: remaining work of model m at the fastest server, seconds (0 when none remains);
   * `free`, `mask`: each server's free time and resident models; every remaining agent starts at
   * or after `lastStart`. Returns 0 when there are too many choices to enumerate.
   */
  bound(
    work: readonly number[],
    free: readonly number[],
    mask: readonly number[],
    lastStart: number,
  ): number {
    let needed = 0;
    work.forEach((w, m) => {
      if (w > 0) needed |= 1 << m;
    });
    const S = free.length;
    const choices = this.#holds.map((h, s) => subsetsOf(h & needed & ~mask[s]!));
    let combos = 1;
    for (const c of choices) combos *= c.length;
    if (combos > MAX_COMBOS) return 0;
    const allowed = new Array<number>(S).fill(0);
    const cost = new Array<number>(S).fill(0);
    let best = Infinity;
    const pick = (s: number): void => {
      if (s === S) {
        best = Math.min(best, this.#smallestC(work, needed, free, allowed, cost, lastStart));
        return;
      }
      for (const extra of choices[s]!) {
        allowed[s] = (this.#holds[s]! & needed & mask[s]!) | extra;
        let c = 0;
        for (let m = 0; extra >> m !== 0; m++) if (extra & (1 << m)) c += this.#p.servers[s]!.loadSeconds[m]!;
        cost[s] = c;
        pick(s + 1);
      }
    };
    pick(0);
    return best;
  }

  #smallestC(
    work: readonly number[],
    needed: number,
    free: readonly number[],
    allowed: readonly number[],
    cost: readonly number[],
    lastStart: number,
  ): number {
    let c = 0;
    for (let sub = needed; sub !== 0; sub = (sub - 1) & needed) {
      let w = 0;
      for (let m = 0; sub >> m !== 0; m++) if (sub & (1 << m)) w += work[m]!;
      let fixed = 0;
      let rate = 0;
      for (let s = 0; s < free.length; s++) {
        if ((allowed[s]! & sub) === 0) continue;
        // Loads follow the server's free time; agents also start no earlier than the last start.
        fixed += Math.max(free[s]! + cost[s]!, lastStart) / this.#slow[s]!;
        rate += 1 / this.#slow[s]!;
      }
      if (rate === 0) return Infinity;
      c = Math.max(c, (w + fixed) / rate);
    }
    return c;
  }
}

function subsetsOf(mask: number): number[] {
  const out = [0];
  for (let sub = mask; sub !== 0; sub = (sub - 1) & mask) out.push(sub);
  return out;
}
