import { describe, expect, it } from 'vitest';
import { checkSchedule } from './feasibility.ts';
import type { PlanProblem } from './problem.ts';
import { ScheduleBuilder, type Schedule } from './schedule.ts';

// One server of 24 GiB; model 0 (20 GiB) resident at start, model 1 (5 GiB) loads in 10 s.
const problem: PlanProblem = {
  name: 't',
  models: ['big', 'small'],
  servers: [
    {
      name: 's',
      memoryGiB: 24,
      maxLoaded: 3,
      initialMask: 1,
      loadSeconds: [40, 10],
      memoryOf: [20, 5],
      signature: '',
    },
  ],
  tasks: [
    { id: 'a', model: 0, durations: [100], preds: [], succs: [1], priority: 'medium' },
    { id: 'b', model: 1, durations: [50], preds: [0], succs: [], priority: 'medium' },
  ],
  topo: [0, 1],
};

const good = (): Schedule => {
  const b = new ScheduleBuilder(problem);
  b.place(0, 0);
  b.place(1, 0);
  return b.build();
};

describe('checkSchedule', () => {
  it('accepts a schedule built by the builder', () => {
    const s = good();
    expect(s.makespan).toBe(160);
    expect(s.loads).toMatchObject([{ model: 1, start: 100, end: 110, evictedMask: 1, residentAfter: 2 }]);
    expect(checkSchedule(problem, s)).toEqual([]);
  });

  it('finds broken precedence, overlaps, missing loads and memory over capacity', () => {
    const s = good();
    const early = { ...s, slots: [s.slots[0]!, { ...s.slots[1]!, start: 50, end: 100 }], makespan: 110 };
    expect(checkSchedule(problem, early).join('\n')).toMatch(
      /b starts at 50 s before its predecessor a ends/,
    );
    expect(checkSchedule(problem, { ...s, loads: [] }).join('\n')).toMatch(
      /b runs while small is not loaded/,
    );
    const both = { ...s, loads: [{ ...s.loads[0]!, evictedMask: 0, residentAfter: 3 }] };
    expect(checkSchedule(problem, both).join('\n')).toMatch(/exceed 24 GiB/);
    const overlap = { ...s, loads: [{ ...s.loads[0]!, start: 90, end: 100 }] };
    expect(checkSchedule(problem, overlap).join('\n')).toMatch(/while the server is busy/);
    expect(checkSchedule(problem, { ...s, makespan: 1 }).join('\n')).toMatch(/makespan 1 s differs/);
  });
});
