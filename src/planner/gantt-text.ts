// A text Gantt chart of one plan: a bar per server ("~" = loading, " " = idle, [name] = an agent,
// or the model's letter when the agent is too short to name), and, for small pipelines, the list of
// what runs when. Minutes.
import { criticalPath } from './critical-path.ts';
import type { PlanProblem } from './problem.ts';
import type { Schedule } from './schedule.ts';

const min = (s: number): string => (s / 60).toFixed(2).padStart(7);

export function ganttText(problem: PlanProblem, schedule: Schedule, width = 80, listUpTo = 40): string[] {
  const scale = width / Math.max(schedule.makespan, 1e-9);
  const col = (t: number): number => Math.min(width, Math.round(t * scale));
  const nameWidth = Math.max(...problem.servers.map((s) => s.name.length));
  const lines: string[] = [];
  const letters = modelLetters(problem.models);
  problem.servers.forEach((server, s) => {
    const bar = Array.from({ length: width }, () => ' ');
    for (const l of schedule.loads.filter((x) => x.server === s))
      for (let c = col(l.start); c < Math.max(col(l.end), col(l.start) + 1) && c < width; c++) bar[c] = '~';
    for (const slot of schedule.slots.filter((x) => x.server === s)) {
      const a = col(slot.start);
      const b = Math.max(col(slot.end), a + 1);
      const letter = letters[problem.tasks[slot.task]!.model]!;
      const label =
        b - a >= 4
          ? `[${problem.tasks[slot.task]!.id.slice(0, b - a - 2).padEnd(b - a - 2, '.')}]`
          : letter.repeat(b - a);
      for (let c = a; c < b && c < width; c++) bar[c] = label[c - a] ?? letter;
    }
    lines.push(`${server.name.padEnd(nameWidth)} |${bar.join('')}|`);
  });
  lines.push(
    `${' '.repeat(nameWidth)}  0${`${(schedule.makespan / 60).toFixed(2)} min`.padStart(width - 1)}`,
  );
  const used = [...new Set(problem.tasks.map((t) => t.model))];
  lines.push(
    `${' '.repeat(nameWidth)}  ${used.map((m) => `${letters[m]} ${problem.models[m]}`).join('  ')}  ~ loading`,
  );
  if (problem.tasks.length > listUpTo) return lines;
  const critical = new Set(criticalPath(problem, schedule).tasks);
  lines.push('', '  server    start      end  agent (model)   * = on the critical path');
  const events = [
    ...schedule.loads.map((l) => ({
      s: l.server,
      start: l.start,
      end: l.end,
      text: `load ${problem.models[l.model]}`,
    })),
    ...schedule.slots.map((x) => ({
      s: x.server,
      start: x.start,
      end: x.end,
      text: `${critical.has(x.task) ? '*' : ' '}${problem.tasks[x.task]!.id} (${problem.models[problem.tasks[x.task]!.model]})`,
    })),
  ].sort((a, b) => a.s - b.s || a.start - b.start);
  for (const e of events)
    lines.push(`  ${problem.servers[e.s]!.name.padEnd(nameWidth)} ${min(e.start)}  ${min(e.end)}  ${e.text}`);
  return lines;
}

/** one distinct letter per model: the first letter of its last name part, else the next free one */
function modelLetters(models: readonly string[]): string[] {
  const taken = new Set<string>();
  return models.map((name) => {
    const candidates = [
      ...(name.split(/[-:_.]/).pop() ?? name).toUpperCase(),
      ...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
    ];
    const letter = candidates.find((c) => /[A-Z0-9]/.test(c) && !taken.has(c)) ?? '#';
    taken.add(letter);
    return letter;
  });
}
