// The run report: one self-contained HTML page (no scripts, no external resources). Planned and
// actual Gantt side by side (the planner's renderer for both), loads, waits per alias, tool calls
// by repair rung, heals, tokens, money saved, and the seeds' four success metrics as measured.
import { parseFleetText, type FleetConfig } from '../config/index.ts';
import { ganttSvg } from '../planner/gantt-html.ts';
import { statsOf, type StrategyPlan } from '../planner/index.ts';
import { RUNG_NAMES, type RepairRung } from '../repair/index.ts';
import type { LoggedEvent, PlannedLoad } from './run-events.ts';
import { parseRunPipelineText } from './run-pipeline.ts';
import { planRun } from './run-plan.ts';
import { metricsOfRun, pct } from './run-summary.ts';
import type { RunView } from './run-state.ts';

export function runReportHtml(run: { view: RunView; events: readonly LoggedEvent[] }): string {
  const { view } = run;
  const m = metricsOfRun(run);
  const gantts = ganttPair(view, m.loads);
  const agentRows = view.order
    .map((id) => {
      const a = view.agents[id]!;
      const secs =
        a.startedAt !== undefined && a.finishedAt !== undefined ? (a.finishedAt - a.startedAt) / 1000 : null;
      return `<tr><td>${esc(id)}</td><td>${a.status}</td><td>${esc(a.model ?? a.specialists[0] ?? '')}</td><td>${a.attempt}</td><td>${secs === null ? '' : (secs / 60).toFixed(2)}</td><td>${a.modelCalls}</td><td>${a.tokensIn}</td><td>${a.tokensOut}</td><td>${a.repairs}</td><td>${a.heals}</td></tr>`;
    })
    .join('\n');
  const aliasRows = m.perAlias
    .map(
      (u) =>
        `<tr><td>${esc(u.alias)}</td><td>${u.requests}</td><td>${u.errors}</td><td>${(u.queueMs / 1000 / Math.max(1, u.requests)).toFixed(1)}</td><td>${(u.maxQueueMs / 1000).toFixed(1)}</td><td>${(u.loadMs / 1000).toFixed(1)}</td></tr>`,
    )
    .join('\n');
  const healRows = view.heals
    .map(
      (h) =>
        `<tr><td>${esc(h.agent)}</td><td>${h.attempt}</td><td>${h.failure}</td><td>${h.by}</td><td>${esc(h.action)}</td><td>${esc(h.detail.split('\n')[0] ?? '')}</td></tr>`,
    )
    .join('\n');
  const rungRows = Object.entries(m.toolCalls.byRung)
    .map(
      ([r, n]) => `<tr><td>rung ${r} (${RUNG_NAMES[Number(r) as RepairRung] ?? '?'})</td><td>${n}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Run ${esc(view.id)}: ${esc(view.name)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}
table{border-collapse:collapse;margin:12px 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}
td:first-child,th:first-child{text-align:left}.side{display:flex;flex-wrap:wrap;gap:16px}
.metric td:last-child{text-align:left}svg{max-width:100%;height:auto}
</style></head><body>
<h1>Run ${esc(view.id)}: ${esc(view.name)}</h1>
<p>Status <b>${view.status}</b>${view.message ? ` — ${esc(view.message)}` : ''}. Workspace ${esc(view.inputs?.workspace ?? '?')}.
Strategy ${esc(view.plan?.strategy ?? '?')}, planned ${view.plan ? (view.plan.makespanSeconds / 60).toFixed(2) : '?'} min, actual ${actualMinutes(view)} min.</p>
<h2>Success metrics (seed 004)</h2>
<table class="metric"><tr><th>metric</th><th>measured</th><th>target</th><th>how</th></tr>
<tr><td>tool-call success rate</td><td>${pct(m.toolCalls.successRate)} (first try ${pct(m.toolCalls.firstTryRate)})</td><td>90%+</td><td>${m.toolCalls.firstTry} valid and executed at rung 1, ${m.toolCalls.afterRepair} after a repair rung, ${m.toolCalls.invalid} invalid, ${m.toolCalls.failedExecution} failed to execute, of ${m.toolCalls.attempted} attempted</td></tr>
<tr><td>iterations from failure to recovery</td><td>${m.recovery.meanIterations === null ? 'n/a' : m.recovery.meanIterations.toFixed(2)} mean, ${m.recovery.maxIterations ?? 'n/a'} max</td><td>under 2</td><td>model calls inside an attempt, attempts across them; ${m.recovery.recovered} of ${m.recovery.failures} failures recovered</td></tr>
<tr><td>prompt tokens: dynamic vs full static</td><td>${m.promptTokens.dynamic} / ${m.promptTokens.static} (${m.promptTokens.reduction === null ? 'n/a' : `${pct(m.promptTokens.reduction)} fewer`})</td><td>50%+ fewer</td><td>as the engine's prompt builder counted them for the same steps</td></tr>
<tr><td>healed without the user</td><td>${pct(m.healing.share)}</td><td>70%+</td><td>${m.healing.healedWithoutUser} of ${m.healing.failures} failures; the user was asked about ${m.healing.askedUser}</td></tr>
</table>
<h2>Planned and actual</h2>
<div class="side"><div><h3>planned (${esc(view.plan?.strategy ?? '')})</h3>${gantts.planned}</div><div><h3>actual</h3>${gantts.actual}</div></div>
<h2>Agents</h2>
<table><tr><th>agent</th><th>state</th><th>model</th><th>attempts</th><th>minutes</th><th>model calls</th><th>tokens in</th><th>tokens out</th><th>repairs</th><th>heals</th></tr>
${agentRows}</table>
<h2>Model loads (swaps)</h2>
<p>${m.loads.length} loads: ${m.loads.map((l) => `${esc(l.model)} on ${esc(l.server)} (${((l.end - l.start) / 1000).toFixed(1)} s)`).join(', ') || 'none'}</p>
<h2>Waits per alias</h2>
<table><tr><th>alias</th><th>requests</th><th>errors</th><th>mean queue wait (s)</th><th>max queue wait (s)</th><th>load time (s)</th></tr>${aliasRows}</table>
<h2>Tool-call replies by repair rung</h2><table>${rungRows || '<tr><td>no tool calls</td></tr>'}</table>
<h2>Heals</h2>
<table><tr><th>agent</th><th>attempt</th><th>failure</th><th>by</th><th>action</th><th>detail</th></tr>${healRows}</table>
<h2>Tokens and cost</h2>
<p>${m.tokens.input} input and ${m.tokens.output} output tokens over ${m.modelCalls} model calls (${m.tokens.localInput + m.tokens.localOutput} served locally).
${m.savedUsd === null ? 'No priced cloud model in the fleet to value them.' : `Saved $${m.savedUsd.toFixed(4)} against ${esc(m.baselineModel ?? '')}'s price.`}</p>
</body></html>
`;
}

function actualMinutes(view: RunView): string {
  return view.startedAt !== undefined && view.updatedAt !== undefined
    ? ((view.updatedAt - view.startedAt) / 60000).toFixed(2)
    : '?';
}

/**
 * The plan again from the logged inputs (the planner is deterministic), and the actual spans with
 * the loads the servers reported (times relative to the run's start, in s).
 */
function ganttPair(view: RunView, seenLoads: readonly PlannedLoad[]): { planned: string; actual: string } {
  const inputs = view.inputs;
  if (!inputs || view.startedAt === undefined) return { planned: '', actual: '' };
  let fleet: FleetConfig;
  let chosen: StrategyPlan;
  try {
    fleet = parseFleetText(inputs.fleetText, inputs.fleetFile, { env: {} });
    const pipeline = parseRunPipelineText(inputs.pipelineText, inputs.pipelineFile);
    chosen = planRun(
      pipeline.planned,
      fleet,
      inputs.pipelineFile,
      inputs.strategy === 'best' ? undefined : (inputs.strategy as never),
    ).chosen;
  } catch (e) {
    return { planned: `<p>cannot re-plan: ${esc((e as Error).message)}</p>`, actual: '' };
  }
  const start = view.startedAt;
  const { problem } = chosen;
  const slots = problem.tasks.map((t, i) => {
    const a = view.agents[t.id];
    const planned = chosen.schedule.slots.find((s) => s.task === i);
    const s = a?.startedAt !== undefined ? (a.startedAt - start) / 1000 : 0;
    const e = a?.finishedAt !== undefined ? (a.finishedAt - start) / 1000 : (view.updatedAt! - start) / 1000;
    return { task: i, server: planned?.server ?? 0, start: s, end: Math.max(s, e) };
  });
  const loads = seenLoads.flatMap((l) => {
    const server = problem.servers.findIndex((s) => s.name === l.server);
    const model = problem.models.indexOf(l.model);
    if (server < 0 || model < 0) return [];
    const s = Math.max(0, (l.start - start) / 1000);
    // evictions are not logged: the masks only matter to the planner, not to the drawing
    const end = Math.max(s, (l.end - start) / 1000);
    return [{ server, model, start: s, end, evictedMask: 0, residentAfter: 1 << model }];
  });
  const makespan = Math.max(1e-9, ...slots.map((s) => s.end), ...loads.map((l) => l.end));
  const schedule = { slots, loads, makespan };
  const actual: StrategyPlan = { ...chosen, schedule, stats: statsOf(schedule) };
  let actualSvg: string;
  try {
    actualSvg = ganttSvg({ ...actual, name: 'actual' as never });
  } catch (e) {
    actualSvg = `<p>cannot draw: ${esc((e as Error).message)}</p>`;
  }
  return { planned: ganttSvg(chosen), actual: actualSvg };
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
