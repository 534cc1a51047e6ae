// The text summary of a run (`run` at its end, `runs show`): agents, the four success metrics,
// heals, tokens and savings.
import { parseFleetText } from '../config/index.ts';
import { RUNG_NAMES, type RepairRung } from '../repair/index.ts';
import type { LoggedEvent } from './run-events.ts';
import { runMetrics, type RunMetrics } from './run-metrics.ts';
import type { RunView } from './run-state.ts';

export function pct(x: number | null): string {
  return x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`;
}

export function metricsOfRun(run: { view: RunView; events: readonly LoggedEvent[] }): RunMetrics {
  const inputs = run.view.inputs;
  let fleet;
  try {
    fleet = inputs ? parseFleetText(inputs.fleetText, inputs.fleetFile, { env: {} }) : undefined;
  } catch {
    fleet = undefined;
  }
  return runMetrics(run.view, run.events, fleet);
}

export function runSummaryLines(run: { view: RunView; events: readonly LoggedEvent[] }): string[] {
  const { view } = run;
  const m = metricsOfRun(run);
  const elapsed =
    view.startedAt !== undefined && view.updatedAt !== undefined
      ? (view.updatedAt - view.startedAt) / 1000
      : 0;
  const lines = [
    '',
    `run ${view.id} (${view.name}): ${view.status}${view.message ? ` — ${view.message}` : ''}`,
    `run time ${(elapsed / 60).toFixed(2)} min (planned ${view.plan ? (view.plan.makespanSeconds / 60).toFixed(2) : '?'} min, strategy ${view.plan?.strategy ?? '?'})`,
    ...view.order.map((id) => {
      const a = view.agents[id]!;
      return `  ${id.padEnd(14)} ${a.status.padEnd(9)} attempts ${a.attempt}  model calls ${a.modelCalls}  tokens ${a.tokensIn + a.tokensOut}  repairs ${a.repairs}  heals ${a.heals}`;
    }),
    'success metrics (seed 004 targets in brackets):',
    `  tool-call success rate ${pct(m.toolCalls.successRate)} [90%+]: ${m.toolCalls.firstTry} first try, ${m.toolCalls.afterRepair} after repair, ${m.toolCalls.invalid} invalid, ${m.toolCalls.failedExecution} failed to execute, of ${m.toolCalls.attempted}`,
    `  iterations from failure to recovery ${m.recovery.meanIterations === null ? 'n/a' : m.recovery.meanIterations.toFixed(2)} mean, ${m.recovery.maxIterations ?? 'n/a'} max [under 2] (arbiter decisions): ${m.recovery.recovered} of ${m.recovery.failures} failure events recovered`,
    `  prompt tokens, dynamic against static ${m.promptTokens.dynamic} / ${m.promptTokens.static}: ${m.promptTokens.reduction === null ? 'n/a' : `${pct(m.promptTokens.reduction)} fewer`} [50%+ fewer]`,
    `  healed without the user ${pct(m.healing.share)} [70%+]: ${m.healing.healedWithoutUser} of ${m.healing.failures} failure incidents, ${m.healing.failureEvents} failure events (${
      Object.entries(m.healing.byKind)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ') || 'none'
    }); user asked for ${m.healing.askedUser}`,
    `tool-call replies by repair rung: ${
      Object.entries(m.toolCalls.byRung)
        .map(([r, n]) => `rung ${r} ${RUNG_NAMES[Number(r) as RepairRung] ?? '?'}: ${n}`)
        .join(', ') || 'none'
    }`,
    `heals: ${
      Object.entries(m.healing.byAction)
        .map(([a, n]) => `${a} ${n}`)
        .join(', ') || 'none'
    }`,
    `tokens ${m.tokens.input} in, ${m.tokens.output} out over ${m.modelCalls} model calls; model loads ${m.loads.length}`,
    m.savedUsd === null
      ? 'saved: no priced cloud model in the fleet'
      : `saved $${m.savedUsd.toFixed(4)} against ${m.baselineModel}`,
  ];
  if (view.inputs) lines.push(`workspace: ${view.inputs.workspace}`);
  if (view.question) lines.push(`waiting for an answer: ${view.question.question}`);
  return lines;
}
