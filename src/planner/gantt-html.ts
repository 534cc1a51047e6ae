// A self-contained HTML page: the strategy table and an inline SVG Gantt per plan (a lane per
// server, loads hatched, the critical path outlined in red). No scripts, no external resources.
import { criticalPath } from './critical-path.ts';
import type { PlanReport, StrategyPlan } from './plan-pipeline.ts';

const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#b07aa1', '#76b7b2', '#edc948', '#ff9da7', '#9c755f'];
const LANE = 34;
const LEFT = 110;
const WIDTH = 1100;

export function ganttHtml(report: PlanReport): string {
  const ordered = [...report.plans].sort(
    (a, b) => Number(b.name === report.best) - Number(a.name === report.best),
  );
  const rows = report.plans
    .map(
      (p) =>
        `<tr${p.name === report.best ? ' class="best"' : ''}><td>${esc(p.name)}</td><td>${min(p.stats.makespan)}</td><td>${p.stats.swaps}</td><td>${min(p.stats.loadSeconds)}</td><td>${p.ratioToBound.toFixed(3)}</td><td>${p.optimal ? 'yes' : 'no'}</td><td>${esc(p.note ?? '')}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Plan: ${esc(report.problem.name)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}
table{border-collapse:collapse;margin:12px 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}
td:first-child,th:first-child,td:last-child,th:last-child{text-align:left}tr.best{background:#eef6ea;font-weight:600}
svg{display:block;margin:8px 0 28px}.legend span{display:inline-block;margin-right:14px}
.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px}
</style></head><body>
<h1>Plan: ${esc(report.problem.name)}</h1>
<p>${report.problem.tasks.length} agents on ${report.problem.servers.length} server(s). Lower bound ${min(report.bounds.max)} min
(critical path ${min(report.bounds.criticalPath)}, capacity ${min(report.bounds.capacity)}, swap-forced ${report.bounds.swapForced === null ? 'n/a' : min(report.bounds.swapForced)}, largest task ${min(report.bounds.largestTask)}).
${report.optimumSeconds === null ? 'Optimum not computed.' : `Optimum ${min(report.optimumSeconds)} min, proven by exact search.`}</p>
<table><tr><th>strategy</th><th>makespan (min)</th><th>swaps</th><th>load time (min)</th><th>vs bound</th><th>optimal</th><th>note</th></tr>
${rows}</table>
${legend(report)}
${ordered.map((p) => `<h2>${esc(p.name)}${p.name === report.best ? ' (best)' : ''}: ${min(p.stats.makespan)} min</h2>\n${ganttSvg(p)}`).join('\n')}
</body></html>
`;
}

function legend(report: PlanReport): string {
  const models = report.problem.models.map(
    (name, i) => `<span><i style="background:${PALETTE[i % PALETTE.length]}"></i>${esc(name)}</span>`,
  );
  return `<p class="legend">${models.join('')}<span><i style="border:1px solid #888;background-image:repeating-linear-gradient(45deg,#888 0 2px,#fff 2px 5px)"></i>load</span><span><i style="border:2px solid #d62728"></i>critical path</span></p>`;
}

export function ganttSvg(plan: StrategyPlan): string {
  const { problem, schedule } = plan;
  const span = Math.max(schedule.makespan, 1e-9);
  const x = (t: number): number => LEFT + (t / span) * (WIDTH - LEFT - 20);
  const rows = laneRows(problem.servers.length, schedule);
  const height = rows.top[problem.servers.length]! + 30;
  const cp = criticalPath(problem, schedule);
  const onPath = new Set(cp.tasks);
  const loadOnPath = new Set(cp.loads);
  const parts: string[] = [
    `<defs><pattern id="hatch-${plan.name}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#888" stroke-width="3"/></pattern></defs>`,
  ];
  problem.servers.forEach((s, i) => {
    const y = rows.top[i]!;
    const bottom = rows.top[i + 1]! - 2;
    parts.push(`<text x="8" y="${y + 21}" font-size="13">${esc(s.name)}</text>`);
    parts.push(`<line x1="${LEFT}" y1="${bottom}" x2="${WIDTH - 20}" y2="${bottom}" stroke="#eee"/>`);
  });
  schedule.loads.forEach((l, i) => {
    const y = rows.top[l.server]! + rows.loadRow[i]! * LANE + 4;
    const stroke = loadOnPath.has(i) ? ' stroke="#d62728" stroke-width="2"' : ' stroke="#888"';
    parts.push(
      `<rect x="${x(l.start).toFixed(1)}" y="${y}" width="${Math.max(1, x(l.end) - x(l.start)).toFixed(1)}" height="${LANE - 10}" fill="url(#hatch-${plan.name})"${stroke}><title>load ${esc(problem.models[l.model]!)}: ${min(l.start)}-${min(l.end)} min</title></rect>`,
    );
  });
  schedule.slots.forEach((slot, i) => {
    const t = problem.tasks[slot.task]!;
    const y = rows.top[slot.server]! + rows.slotRow[i]! * LANE + 4;
    const w = Math.max(1, x(slot.end) - x(slot.start));
    const stroke = onPath.has(slot.task) ? ' stroke="#d62728" stroke-width="3"' : ' stroke="#fff"';
    parts.push(
      `<rect x="${x(slot.start).toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${LANE - 10}" fill="${PALETTE[t.model % PALETTE.length]}"${stroke}><title>${esc(t.id)} (${esc(problem.models[t.model]!)}): ${min(slot.start)}-${min(slot.end)} min</title></rect>`,
    );
    if (w > t.id.length * 6.5 + 6)
      parts.push(
        `<text x="${(x(slot.start) + 4).toFixed(1)}" y="${y + 16}" font-size="11" fill="#fff">${esc(t.id)}</text>`,
      );
  });
  const step = niceStep(span / 60);
  for (let tm = 0; tm <= span / 60 + 1e-9; tm += step) {
    const xx = x(tm * 60).toFixed(1);
    parts.push(
      `<line x1="${xx}" y1="8" x2="${xx}" y2="${height - 24}" stroke="#ddd" stroke-dasharray="2,3"/>`,
    );
    parts.push(
      `<text x="${xx}" y="${height - 8}" font-size="11" text-anchor="middle">${Number(tm.toFixed(2))}</text>`,
    );
  }
  parts.push(`<text x="8" y="${height - 8}" font-size="11">minutes</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}">${parts.join('')}</svg>`;
}

interface Span {
  server: number;
  start: number;
  end: number;
}

/**
 * A server runs tasks side by side (parallel slots, or a load beside a running model), so each
 * lane gets as many rows as it has overlapping bars, so no bar hides another: tasks first-fit by
 * start time, then each load in the first row where it overlaps nothing (a planned load sits in
 * the gap before its task; a load seen during a run gets a row under the tasks it served).
 * `top[i]` is lane i's y; `top[servers]` is the bottom of the last lane.
 */
export function laneRows(
  servers: number,
  schedule: { slots: readonly Span[]; loads: readonly Span[] },
): { top: number[]; slotRow: number[]; loadRow: number[] } {
  const rows: Span[][][] = Array.from({ length: servers }, () => []);
  const place = (b: Span): number => {
    const lane = rows[b.server] ?? [];
    // touching is not overlapping: a bar may start as another ends
    let row = lane.findIndex((r) => r.every((o) => o.end <= b.start + 1e-6 || o.start >= b.end - 1e-6));
    if (row < 0) row = lane.push([]) - 1;
    lane[row]!.push(b);
    return row;
  };
  const byStart = <T extends Span>(xs: readonly T[]): number[] =>
    xs.map((_, i) => i).sort((p, q) => xs[p]!.start - xs[q]!.start || xs[p]!.end - xs[q]!.end);
  const slotRow: number[] = new Array<number>(schedule.slots.length).fill(0);
  const loadRow: number[] = new Array<number>(schedule.loads.length).fill(0);
  for (const i of byStart(schedule.slots)) slotRow[i] = place(schedule.slots[i]!);
  for (const i of byStart(schedule.loads)) loadRow[i] = place(schedule.loads[i]!);
  const top = [10];
  for (let s = 0; s < servers; s++) top.push(top[s]! + Math.max(1, rows[s]!.length) * LANE);
  return { top, slotRow, loadRow };
}

function niceStep(total: number): number {
  const raw = total / 12;
  const pow = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-9)));
  return [1, 2, 5, 10].map((k) => k * pow).find((s) => s >= raw) ?? raw;
}

const min = (s: number): string => (s / 60).toFixed(2);

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
