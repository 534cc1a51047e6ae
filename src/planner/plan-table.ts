// The terminal summary of a plan report: bounds, then one row per strategy. Minutes for people.
import type { PlanReport } from './plan-pipeline.ts';

const min = (s: number): string => (s / 60).toFixed(2);

export function planTable(report: PlanReport): string[] {
  const { problem, bounds } = report;
  const lines = [
    `pipeline ${problem.name}: ${problem.tasks.length} agents, ${new Set(problem.tasks.map((t) => t.model)).size} models, ${problem.servers.length} server${problem.servers.length > 1 ? 's' : ''} (${problem.servers.map((s) => `${s.name} ${s.memoryGiB} GiB`).join(', ')})`,
    `lower bound ${min(bounds.max)} min: critical path ${min(bounds.criticalPath)}, capacity ${min(bounds.capacity)}, swap-forced ${bounds.swapForced === null ? 'n/a (several servers)' : min(bounds.swapForced)}, largest task ${min(bounds.largestTask)}`,
    report.optimumSeconds === null
      ? 'optimum: not computed (exact search not run or not finished)'
      : `optimum ${min(report.optimumSeconds)} min (proven by exact search)`,
    '',
  ];
  const header = ['strategy', 'makespan', 'swaps', 'loads', 'load time', 'vs bound', 'vs optimum', 'optimal'];
  const rows = report.plans.map((p) => [
    p.name,
    `${min(p.stats.makespan)} min`,
    String(p.stats.swaps),
    String(p.stats.loads),
    `${min(p.stats.loadSeconds)} min`,
    p.ratioToBound.toFixed(3),
    report.optimumSeconds === null || !p.comparable
      ? '-'
      : (p.stats.makespan / report.optimumSeconds).toFixed(3),
    p.optimal ? 'yes' : 'no',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (cells: string[]): string =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  lines.push(fmt(header), ...rows.map(fmt));
  const best = report.plans.find((p) => p.name === report.best);
  if (best) lines.push('', `best: ${best.name} (${min(best.stats.makespan)} min, ${best.stats.swaps} swaps)`);
  for (const p of report.plans) if (p.note) lines.push(`note: ${p.name}: ${p.note}`);
  return lines;
}
