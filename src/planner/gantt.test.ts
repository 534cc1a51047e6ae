import { describe, expect, it } from 'vitest';
import { criticalPath } from './critical-path.ts';
import { ganttHtml, ganttSvg, laneRows } from './gantt-html.ts';
import { ganttText } from './gantt-text.ts';
import { lowerBounds, maxRuns } from './lower-bounds.ts';
import { planPipeline } from './plan-pipeline.ts';
import type { PlanProblem } from './problem.ts';

// Two servers; model 0 resident on s0. a -> b (model 1) -> c (model 0); d (model 1) alone.
const problem: PlanProblem = {
  name: 'small <demo>',
  models: ['big', 'other'],
  servers: [0, 1].map((s) => ({
    name: `s${s}`,
    memoryGiB: 24,
    maxLoaded: 3,
    initialMask: s === 0 ? 1 : 0,
    loadSeconds: [40, 40],
    memoryOf: [20, 20],
    signature: 'x',
  })),
  tasks: [
    { id: 'a', model: 0, durations: [100, 100], preds: [], succs: [1], priority: 'medium' },
    { id: 'b', model: 1, durations: [100, 100], preds: [0], succs: [2], priority: 'medium' },
    { id: 'c', model: 0, durations: [100, 100], preds: [1], succs: [], priority: 'medium' },
    { id: 'd', model: 1, durations: [30, 30], preds: [], succs: [], priority: 'medium' },
  ],
  topo: [0, 1, 2, 3],
};

describe('bounds, critical path and Gantt charts', () => {
  it('counts runs of a model split by an exclusive model along a path', () => {
    expect(maxRuns(problem, 0)).toBe(2);
    expect(maxRuns(problem, 1)).toBe(1);
    const one = {
      ...problem,
      servers: [problem.servers[0]!],
      tasks: problem.tasks.map((t) => ({ ...t, durations: [t.durations[0]] })),
    };
    // a, load other, b, d, load big, c: 330 work + 2 loads
    expect(lowerBounds(one)).toMatchObject({ swapForced: 410, criticalPath: 380 });
  });

  it('follows the chain that fixes the makespan, through loads', () => {
    const report = planPipeline(problem, { strategies: ['optimal'] });
    const plan = report.plans[0]!;
    expect(plan.stats.makespan).toBe(300);
    const cp = criticalPath(problem, plan.schedule);
    expect(cp.tasks.map((j) => problem.tasks[j]!.id)).toEqual(['a', 'b', 'c']);
    const one = {
      ...problem,
      servers: [problem.servers[0]!],
      tasks: problem.tasks.map((t) => ({ ...t, durations: [t.durations[0]] })),
    };
    const single = planPipeline(one, { strategies: ['optimal'] }).plans[0]!;
    expect(single.stats.makespan).toBe(410);
    const path = criticalPath(one, single.schedule);
    expect(path.tasks).toHaveLength(4);
    expect(path.loads.map((i) => single.schedule.loads[i]!.model)).toEqual([1, 0]);
    const text = ganttText(problem, plan.schedule, 40).join('\n');
    expect(text).toMatch(/^s0 \|\[a.*\|$/m);
    expect(text).toMatch(/\*b \(other\)/);
    const html = ganttHtml(report);
    expect(html).toContain('small &lt;demo&gt;');
    expect(html).toMatch(/<title>load other: /);
  });

  it('gives overlapping bars of one server their own rows, so none hides another', () => {
    const slots = [
      { task: 0, server: 0, start: 0, end: 100 },
      { task: 1, server: 0, start: 20, end: 60 },
      { task: 2, server: 0, start: 100, end: 150 },
      { task: 3, server: 1, start: 0, end: 30 },
    ];
    const loads = [{ server: 0, model: 1, start: 50, end: 90, evictedMask: 0, residentAfter: 2 }];
    const rows = laneRows(2, { slots, loads });
    expect(rows.slotRow).toEqual([0, 1, 0, 0]);
    // the load overlaps a in row 0 and b in row 1: a third row
    expect(rows.loadRow).toEqual([2]);
    // a load in a gap before its task shares the task's row
    expect(
      laneRows(1, { slots: [slots[0]!, slots[2]!], loads: [{ server: 0, start: 100, end: 120 }] }).loadRow,
    ).toEqual([1]);
    expect(
      laneRows(1, {
        slots: [{ ...slots[2]!, start: 120 }],
        loads: [{ server: 0, start: 100, end: 120 }],
      }).loadRow,
    ).toEqual([0]);
    expect(rows.top).toEqual([10, 10 + 3 * 34, 10 + 4 * 34]);
    const plan = planPipeline(problem, { strategies: ['optimal'] }).plans[0]!;
    const svg = ganttSvg({ ...plan, schedule: { ...plan.schedule, slots, loads, makespan: 150 } });
    const ys = [...svg.matchAll(/<rect x="[\d.]+" y="(\d+)"[^>]*><title>(\w) \(/g)].map((m) => [
      m[2],
      Number(m[1]),
    ]);
    expect(Object.fromEntries(ys)).toEqual({ a: 14, b: 48, c: 14, d: 10 + 3 * 34 + 4 });
  });
});
