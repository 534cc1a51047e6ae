// Planner benchmark: time to the proven optimum of the seed pipelines on two servers (target < 2 s
// each), the 117-agent pipeline planned with every strategy (target < 5 s) and its best plan's
// ratio to the lower bound (target within 10%). Prints figures; asserts nothing.
import { readFileSync } from 'node:fs';
import { loadFleetFile } from '../src/config/index.ts';
import {
  applyWhatIf,
  buildProblem,
  exactSearch,
  parsePipelineText,
  planPipeline,
  type PlanProblem,
  type WhatIf,
} from '../src/planner/index.ts';

const examples = new URL('../examples/', import.meta.url);
const load = (fleet: string, pipeline: string, whatIf: WhatIf = {}): PlanProblem =>
  buildProblem(
    parsePipelineText(readFileSync(new URL(pipeline, examples), 'utf8'), pipeline),
    applyWhatIf(loadFleetFile(new URL(fleet, examples).pathname), whatIf),
  );
const timed = <T>(f: () => T): [T, number] => {
  const t0 = performance.now();
  const r = f();
  return [r, (performance.now() - t0) / 1000];
};
const min = (s: number): string => (s / 60).toFixed(2);

console.log('seed pipelines, two servers: time to the proven optimum (target < 2 s)');
console.log('pipeline  optimum (min)  reference  plan optimal (s)  exact search alone (s)  nodes');
for (const [name, ref] of [
  ['v1', 24.65],
  ['v2', 26.45],
] as const) {
  const problem = load('seed/fleet-2-servers.yaml', `seed/pipeline-${name}.yaml`);
  const [report, seconds] = timed(() => planPipeline(problem, { strategies: ['optimal'] }));
  const [bare, bareSeconds] = timed(() => exactSearch(problem));
  console.log(
    `${name.padEnd(8)}  ${min(report.optimumSeconds ?? NaN).padStart(13)}  ${ref.toFixed(2).padStart(9)}  ${seconds.toFixed(3).padStart(16)}  ${bareSeconds.toFixed(3).padStart(22)}  ${bare.nodes}`,
  );
}

console.log(
  '\n117-agent army (examples/army-117.yaml on examples/army.yaml): every strategy (target < 5 s, best within 10% of the bound)',
);
const army = load('army.yaml', 'army-117.yaml');
const [report, seconds] = timed(() => planPipeline(army));
console.log(`planned in ${seconds.toFixed(3)} s; lower bound ${min(report.bounds.max)} min`);
console.log('strategy      makespan (min)  swaps  ratio to bound');
for (const p of report.plans)
  console.log(
    `${p.name.padEnd(12)}  ${min(p.stats.makespan).padStart(14)}  ${String(p.stats.swaps).padStart(5)}  ${p.ratioToBound.toFixed(3).padStart(14)}${p.comparable ? '' : '  (changes models)'}`,
  );
const best = report.plans.find((p) => p.name === report.best)!;
console.log(
  `best: ${best.name}, ${min(best.stats.makespan)} min, ${((best.ratioToBound - 1) * 100).toFixed(1)}% above the lower bound`,
);

console.log('\nwhat-if on the seed pipelines (one server): proven optimum, min');
console.log('pipeline  one server  --servers +1  --memory 48');
for (const name of ['v1', 'v2']) {
  const optimum = (whatIf: WhatIf): string => {
    const r = planPipeline(load('seed/fleet-1-server.yaml', `seed/pipeline-${name}.yaml`, whatIf), {
      strategies: ['optimal'],
    });
    return min(r.optimumSeconds ?? NaN);
  };
  console.log(
    `${name.padEnd(8)}  ${optimum({}).padStart(10)}  ${optimum({ extraServers: 1 }).padStart(12)}  ${optimum({ memoryGiB: 48 }).padStart(11)}`,
  );
}
