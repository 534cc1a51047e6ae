// Checks a schedule against the physics of the fleet: every plan printed must pass. Returns the
// violations found (empty = feasible), each naming the task, server or model concerned.
import { EPS, type PlanProblem } from './problem.ts';
import { maskFits } from './residency.ts';
import type { LoadEvent, Schedule, TaskSlot } from './schedule.ts';

type Activity = { kind: 'task'; slot: TaskSlot } | { kind: 'load'; load: LoadEvent };

export function checkSchedule(problem: PlanProblem, schedule: Schedule): string[] {
  const problems: string[] = [];
  const { tasks, servers } = problem;
  if (schedule.slots.length !== tasks.length)
    problems.push(`expected ${tasks.length} scheduled tasks, found ${schedule.slots.length}`);
  let makespan = 0;
  schedule.slots.forEach((slot, i) => {
    const t = tasks[slot.task];
    if (slot.task !== i || !t) return problems.push(`slot ${i} holds task ${slot.task}`);
    makespan = Math.max(makespan, slot.end);
    const dur = t.durations[slot.server];
    if (dur === undefined)
      problems.push(
        `${t.id} runs on ${servers[slot.server]?.name ?? slot.server}, which cannot hold its model`,
      );
    else if (Math.abs(slot.end - slot.start - dur) > 1e-6)
      problems.push(`${t.id} lasts ${slot.end - slot.start} s, expected ${dur} s`);
    if (slot.start < -EPS) problems.push(`${t.id} starts before 0`);
    for (const p of t.preds) {
      const ps = schedule.slots[p];
      if (ps && slot.start < ps.end - 1e-6)
        problems.push(
          `${t.id} starts at ${slot.start} s before its predecessor ${tasks[p]!.id} ends (${ps.end} s)`,
        );
    }
  });
  if (Math.abs(makespan - schedule.makespan) > 1e-6)
    problems.push(`makespan ${schedule.makespan} s differs from the last end ${makespan} s`);
  servers.forEach((_, s) => problems.push(...checkServer(problem, schedule, s)));
  return problems;
}

function checkServer(problem: PlanProblem, schedule: Schedule, s: number): string[] {
  const problems: string[] = [];
  const server = problem.servers[s]!;
  const acts: Activity[] = [
    ...schedule.loads.filter((l) => l.server === s).map((load) => ({ kind: 'load' as const, load })),
    ...schedule.slots.filter((x) => x.server === s).map((slot) => ({ kind: 'task' as const, slot })),
  ];
  const startOf = (a: Activity): number => (a.kind === 'load' ? a.load.start : a.slot.start);
  const endOf = (a: Activity): number => (a.kind === 'load' ? a.load.end : a.slot.end);
  acts.sort((a, b) => startOf(a) - startOf(b) || (a.kind === 'load' ? -1 : 1));
  if (!maskFits(server, server.initialMask))
    problems.push(`${server.name}: the models resident at start do not fit in ${server.memoryGiB} GiB`);
  let mask = server.initialMask;
  let busyUntil = 0;
  for (const a of acts) {
    if (startOf(a) < busyUntil - 1e-6)
      problems.push(
        `${server.name}: ${describe(problem, a)} starts at ${startOf(a)} s while the server is busy until ${busyUntil} s`,
      );
    busyUntil = Math.max(busyUntil, endOf(a));
    if (a.kind === 'task') {
      const t = problem.tasks[a.slot.task]!;
      if ((mask & (1 << t.model)) === 0)
        problems.push(`${server.name}: ${t.id} runs while ${problem.models[t.model]} is not loaded`);
      continue;
    }
    const l = a.load;
    const bit = 1 << l.model;
    const expected = server.loadSeconds[l.model];
    if (expected === undefined || Math.abs(l.end - l.start - expected) > 1e-6)
      problems.push(
        `${server.name}: loading ${problem.models[l.model]} takes ${l.end - l.start} s, expected ${expected ?? 'no load'}`,
      );
    if ((l.residentAfter & bit) === 0 || (l.residentAfter & ~(mask | bit)) !== 0)
      problems.push(`${server.name}: the load of ${problem.models[l.model]} makes other models resident`);
    if (l.evictedMask !== (mask & ~l.residentAfter))
      problems.push(`${server.name}: the load of ${problem.models[l.model]} misreports what it evicts`);
    if (!maskFits(server, l.residentAfter))
      problems.push(
        `${server.name}: after loading ${problem.models[l.model]} the resident models exceed ${server.memoryGiB} GiB or ${server.maxLoaded} models`,
      );
    mask = l.residentAfter;
  }
  return problems;
}

function describe(problem: PlanProblem, a: Activity): string {
  return a.kind === 'task' ? problem.tasks[a.slot.task]!.id : `the load of ${problem.models[a.load.model]}`;
}
