// Scheduler benchmark: the side-by-side tables of `orchestra bench scheduler`, the targets
// checked against them (PASS/MISS printed, never asserted), and the simulator's speed in
// scheduling events per second on one core. Usage: node bench/scheduler.bench.ts [seeds]
import { POLICY_NAMES } from '../src/config/schema.ts';
import { benchTables, runSchedulerBench } from '../src/scheduler/simulator/bench-report.ts';
import { formatTargets, schedulerTargets } from '../src/scheduler/simulator/bench-targets.ts';
import { policyByName } from '../src/scheduler/policies/index.ts';
import { simulate } from '../src/scheduler/simulator/simulator.ts';
import { t3 } from '../src/scheduler/simulator/traces.ts';
import { TRACE_NAMES } from '../src/scheduler/simulator/traces.ts';

const seeds = Number(process.argv[2] ?? 3);
const started = performance.now();
const bench = runSchedulerBench({ traces: TRACE_NAMES, policies: POLICY_NAMES, seeds });
const elapsed = performance.now() - started;
console.log(`scheduler benchmark: ${seeds} seed(s), medians over seeds, simulated time`);
for (const line of benchTables(bench)) console.log(line);

console.log('\nTargets (reported, never asserted):');
for (const line of formatTargets(schedulerTargets(bench))) console.log(line);

// Speed: the largest trace (T3, 117 agents, 3 servers) under GXA, repeated; one core (one thread).
const trace = t3();
let events = 0;
const t0 = performance.now();
for (let seed = 1; seed <= 10; seed++) events += simulate(policyByName('gxa'), trace, seed).events;
const ms = performance.now() - t0;
const perSecond = events / (ms / 1000);
console.log('\nSimulator speed (one core):');
console.log(
  `  T3 x 10 seeds under gxa: ${events} scheduling events in ${ms.toFixed(0)} ms = ${Math.round(perSecond).toLocaleString('en-US')} events/s`,
);
console.log(
  `  whole benchmark: ${bench.events} events in ${elapsed.toFixed(0)} ms = ${Math.round(bench.events / (elapsed / 1000)).toLocaleString('en-US')} events/s`,
);
console.log(
  `  ${perSecond >= 1e6 ? 'PASS' : 'MISS'}  target >= 1,000,000 events/s (ratio ${(perSecond / 1e6).toFixed(2)})`,
);
