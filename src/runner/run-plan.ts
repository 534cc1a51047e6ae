// The plan of a run: the planner's best (or chosen) strategy, flattened to what the log keeps, and
// the re-plan of the agents that remain.
import type { FleetConfig } from '../config/index.ts';
import {
  buildProblem,
  planPipeline,
  type Pipeline,
  type StrategyName,
  type StrategyPlan,
} from '../planner/index.ts';
import type { PlannedLoad, PlannedSlot } from './run-events.ts';

export interface RunPlan {
  strategy: string;
  makespanSeconds: number;
  order: string[];
  slots: PlannedSlot[];
  loads: PlannedLoad[];
}

export function planRun(
  pipeline: Pipeline,
  fleet: FleetConfig,
  file: string,
  strategy?: StrategyName,
): { plan: RunPlan; chosen: StrategyPlan } {
  const problem = buildProblem(pipeline, fleet, file);
  const report = planPipeline(problem, strategy ? { strategies: [strategy] } : {});
  const chosen = report.plans.find((p) => p.name === (strategy ?? report.best)) ?? report.plans[0]!;
  return { plan: flatten(chosen), chosen };
}

export function flatten(p: StrategyPlan): RunPlan {
  const { problem, schedule } = p;
  const slots = schedule.slots.map((s) => ({
    agent: problem.tasks[s.task]!.id,
    model: problem.models[problem.tasks[s.task]!.model]!,
    server: problem.servers[s.server]!.name,
    start: s.start,
    end: s.end,
  }));
  return {
    strategy: p.name,
    makespanSeconds: schedule.makespan,
    order: [...slots].sort((a, b) => a.start - b.start || a.agent.localeCompare(b.agent)).map((s) => s.agent),
    slots,
    loads: schedule.loads.map((l) => ({
      server: problem.servers[l.server]!.name,
      model: problem.models[l.model]!,
      start: l.start,
      end: l.end,
    })),
  };
}

/** the planner's order for the agents in `remaining`, their dependencies on done agents dropped */
export function replanOrder(pipeline: Pipeline, fleet: FleetConfig, remaining: readonly string[]): string[] {
  const keep = new Set(remaining);
  const agents = pipeline.agents
    .filter((a) => keep.has(a.id))
    .map((a) => ({ ...a, after: a.after.filter((d) => keep.has(d)) }));
  if (agents.length === 0) return [];
  const { plan } = planRun({ ...pipeline, agents }, fleet, 'replan', 'campaign');
  return plan.order;
}
