// DESIGN.md "Reference results", from the example files: the exact search must find these optima.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadFleetFile } from '../config/index.ts';
import { buildProblem } from './build-problem.ts';
import { lowerBounds } from './lower-bounds.ts';
import { parsePipelineText } from './parse-pipeline.ts';
import { planPipeline } from './plan-pipeline.ts';

const root = new URL('../../examples/', import.meta.url);
const problemOf = (fleet: string, pipeline: string) =>
  buildProblem(
    parsePipelineText(readFileSync(new URL(`seed/${pipeline}.yaml`, root), 'utf8'), pipeline),
    loadFleetFile(new URL(`seed/${fleet}.yaml`, root).pathname),
  );

describe('reference optima', () => {
  it.each([
    ['fleet-1-server', 'pipeline-v1', 47.8],
    ['fleet-1-server', 'pipeline-v2', 52.25],
    ['fleet-2-servers', 'pipeline-v1', 24.65],
    ['fleet-2-servers', 'pipeline-v2', 26.45],
  ])('%s %s: %f min', (fleet, pipeline, minutes) => {
    const report = planPipeline(problemOf(fleet, pipeline), { strategies: ['optimal'] });
    const optimal = report.plans.find((p) => p.name === 'optimal')!;
    expect(report.optimumSeconds).toBeCloseTo(minutes * 60, 6);
    expect(optimal.stats.makespan).toBeCloseTo(minutes * 60, 6);
    expect(optimal.optimal).toBe(true);
    expect(report.bounds.max).toBeLessThanOrEqual(minutes * 60 + 1e-9);
  });

  it('on one server the swap-forced bound already equals the optimum', () => {
    expect(lowerBounds(problemOf('fleet-1-server', 'pipeline-v1')).swapForced).toBe(47.8 * 60);
    expect(lowerBounds(problemOf('fleet-1-server', 'pipeline-v2')).swapForced).toBe(52.25 * 60);
  });

  it('no strategy beats the optimum, and the best plan is an optimal one', () => {
    const report = planPipeline(problemOf('fleet-2-servers', 'pipeline-v2'));
    for (const p of report.plans.filter((x) => x.comparable))
      expect(p.stats.makespan).toBeGreaterThanOrEqual(report.optimumSeconds! - 1e-9);
    expect(report.plans.find((p) => p.name === report.best)!.stats.makespan).toBeCloseTo(26.45 * 60, 6);
  });

  it('plans the 117-agent army feasibly, the best plan within 10% of the lower bound', () => {
    const problem = buildProblem(
      parsePipelineText(readFileSync(new URL('army-117.yaml', root), 'utf8'), 'army-117.yaml'),
      loadFleetFile(new URL('army.yaml', root).pathname),
    );
    expect(problem.tasks).toHaveLength(117);
    const report = planPipeline(problem, { strategies: ['campaign', 'dependency'] });
    const best = report.plans.find((p) => p.name === report.best)!;
    expect(best.name).toBe('campaign');
    expect(best.ratioToBound).toBeLessThan(1.1);
  });
});
