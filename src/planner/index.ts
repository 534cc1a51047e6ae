// The offline planner's public surface (used by `orchestra plan`, the runner and the benchmarks).
export { parsePipelineText, parsePipelineObject, readPipelineYaml } from './parse-pipeline.ts';
export { PipelineSchema, parseDuration, type Pipeline, type AgentSpec } from './pipeline-schema.ts';
export { buildProblem } from './build-problem.ts';
export { applyWhatIf, type WhatIf } from './what-if.ts';
export {
  planPipeline,
  STRATEGY_NAMES,
  type StrategyName,
  type PlanReport,
  type StrategyPlan,
  type PlanOptions,
} from './plan-pipeline.ts';
export { lowerBounds, type LowerBounds } from './lower-bounds.ts';
export { exactSearch, type ExactResult } from './exact-search.ts';
export { checkSchedule } from './feasibility.ts';
export { criticalPath } from './critical-path.ts';
export { planJson, type PlanJson } from './plan-json.ts';
export { planTable } from './plan-table.ts';
export { ganttText } from './gantt-text.ts';
export { ganttHtml } from './gantt-html.ts';
export { statsOf, type Schedule, type ScheduleStats, type TaskSlot, type LoadEvent } from './schedule.ts';
export type { PlanProblem, PlanServer, PlanTask } from './problem.ts';
