// Scheduler benchmark: the side-by-side tables of `orchestra bench scheduler`, the targets
// checked against them (PASS/MISS printed, never asserted), and the simulator's speed in
// scheduling events per second on one core. Usage: node bench/scheduler.bench.ts [seeds]
import { POLICY_NAMES } from '../src/config/schema.ts';
import { benchTables, runSchedulerBench } from '../src/scheduler/simulator/bench-report.ts';
import { formatTargets, schedulerTargets } from '../src/scheduler/simulator/bench-targets.ts';
import { policyByName } from '../src/scheduler/policies/index.ts';
import { simulate } from '../src/scheduler/simulator/simulator.ts';
import { t2, t3 } from '../src/scheduler/simulator/traces.ts';
import { TRACE_NAMES } from '../src/scheduler/simulator/traces.ts';

const seeds = Number(process.argv[2] ?? 3);
const started = performance.now();
const bench = runSchedulerBench({ traces: TRACE_NAMES, policies: POLICY_NAMES, seeds });
const elapsed = performance.now() - started;
console.log(`scheduler benchmark: ${seeds} seed(s), medians over seeds, simulated time`);
for (const line of benchTables(bench)) console.log(line);

console.log('\nTargets (reported, never asserted):');
for (const line of formatTargets(schedulerTargets(bench))) console.log(line);

// Speed: the largest trace (T3, 117 agents, 3 servers) under GXA, then T2 at 0.85, repeated on one
// thread. Wall time suffers when the machine is shared; CPU time of this process is printed too.
const speed: Array<[string, number, number, number]> = [];
for (const [name, trace] of [
  ['T3', t3()],
  ['T2@0.85', t2(0.85)],
] as const) {
  let events = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let seed = 1; seed <= 10; seed++) events += simulate(policyByName('gxa'), trace, seed).events;
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  speed.push([name, events, wallMs, (cpu.user + cpu.system) / 1000]);
}
const rate = (events: number, ms: number): string => Math.round(events / (ms / 1000)).toLocaleString('en-US');
console.log('\nSimulator speed (one thread, gxa, 10 seeds):');
for (const [name, events, wallMs, cpuMs] of speed)
  console.log(
    `  ${name}: ${events} scheduling events, ${rate(events, wallMs)} events/s wall, ${rate(events, cpuMs)} events/s CPU`,
  );
console.log(
  `  whole benchmark: ${bench.events} events in ${elapsed.toFixed(0)} ms wall = ${rate(bench.events, elapsed)} events/s`,
);
const best = Math.max(...speed.map(([, events, , cpuMs]) => events / (cpuMs / 1000)));
const worst = Math.min(...speed.map(([, events, , cpuMs]) => events / (cpuMs / 1000)));
console.log(
  `  ${worst >= 1e6 ? 'PASS' : 'MISS'}  target >= 1,000,000 events/s on one core: ${rate(worst, 1000)} to ${rate(best, 1000)} per CPU second (ratio ${(worst / 1e6).toFixed(2)} to ${(best / 1e6).toFixed(2)})`,
);
