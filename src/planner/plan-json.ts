// The one JSON document `orchestra plan --json` prints (shape fixed by issue 4). Seconds, rounded
// to the millisecond.
import type { PlanReport } from './plan-pipeline.ts';

export interface PlanJson {
  lowerBoundSeconds: number;
  optimumSeconds: number | null;
  strategies: Array<{
    name: string;
    makespanSeconds: number;
    swaps: number;
    loadSeconds: number;
    ratioToBound: number;
    optimal: boolean;
    schedule: Array<{
      agent: string;
      server: string;
      model: string;
      startSeconds: number;
      endSeconds: number;
    }>;
    loads: Array<{ server: string; model: string; startSeconds: number; endSeconds: number }>;
  }>;
  best: string;
}

const r3 = (n: number): number => Math.round(n * 1000) / 1000;

export function planJson(report: PlanReport): PlanJson {
  return {
    lowerBoundSeconds: r3(report.bounds.max),
    optimumSeconds: report.optimumSeconds === null ? null : r3(report.optimumSeconds),
    strategies: report.plans.map((p) => ({
      name: p.name,
      makespanSeconds: r3(p.stats.makespan),
      swaps: p.stats.swaps,
      loadSeconds: r3(p.stats.loadSeconds),
      ratioToBound: Math.round(p.ratioToBound * 10000) / 10000,
      optimal: p.optimal,
      schedule: [...p.schedule.slots]
        .sort((a, b) => a.start - b.start || a.server - b.server)
        .map((s) => ({
          agent: p.problem.tasks[s.task]!.id,
          server: p.problem.servers[s.server]!.name,
          model: p.problem.models[p.problem.tasks[s.task]!.model]!,
          startSeconds: r3(s.start),
          endSeconds: r3(s.end),
        })),
      loads: p.schedule.loads.map((l) => ({
        server: p.problem.servers[l.server]!.name,
        model: p.problem.models[l.model]!,
        startSeconds: r3(l.start),
        endSeconds: r3(l.end),
      })),
    })),
    best: report.best,
  };
}
