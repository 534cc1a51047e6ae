// The chain of activities that fixes a schedule's makespan: from the last agent back, each step is
// the predecessor or the previous activity on the same server (an agent or a load) that ended
// exactly when it started.
import type { PlanProblem } from './problem.ts';
import type { Schedule } from './schedule.ts';

export interface CriticalPath {
  /** task indices on the path, in time order */
  tasks: number[];
  /** indices into schedule.loads on the path */
  loads: number[];
}

const TOL = 1e-6;

export function criticalPath(problem: PlanProblem, schedule: Schedule): CriticalPath {
  const tasks: number[] = [];
  const loads: number[] = [];
  let current = schedule.slots.reduce((a, s) => (s.end > a.end ? s : a), schedule.slots[0]!);
  for (let guard = 0; guard <= schedule.slots.length; guard++) {
    tasks.push(current.task);
    if (current.start <= TOL) break;
    const pred = problem.tasks[current.task]!.preds.map((p) => schedule.slots[p]!).find(
      (p) => Math.abs(p.end - current.start) <= TOL,
    );
    if (pred) {
      current = pred;
      continue;
    }
    let t = current.start;
    const loadIndex = schedule.loads.findIndex(
      (l) => l.server === current.server && Math.abs(l.end - t) <= TOL,
    );
    if (loadIndex >= 0) {
      loads.push(loadIndex);
      t = schedule.loads[loadIndex]!.start;
    }
    const before = schedule.slots.find(
      (s) => s.server === current.server && s.task !== current.task && Math.abs(s.end - t) <= TOL,
    );
    if (!before) break;
    current = before;
  }
  return { tasks: tasks.reverse(), loads: loads.reverse() };
}
