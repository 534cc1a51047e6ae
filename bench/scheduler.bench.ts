// Scheduler benchmark: the side-by-side tables of `orchestra bench scheduler`, the targets
// checked against them (PASS/MISS printed, never asserted), and the simulator's speed in
// scheduling events per second on one core. Usage: node bench/scheduler.bench.ts [seeds]
import { POLICY_NAMES } from '../src/config/schema.ts';
import { benchTables, runSchedulerBench } from '../src/scheduler/simulator/bench-report.ts';
import { formatTargets, schedulerTargets } from '../src/scheduler/simulator/bench-targets.ts';
import { policyByName } from '../src/scheduler/policies/index.ts';
import { measureSpeed, type SpeedReport, type Spread } from '../src/scheduler/simulator/bench-speed.ts';
import { t2, t3, TRACE_NAMES } from '../src/scheduler/simulator/traces.ts';
import { tradeoffLines, waitTradeoff } from '../src/scheduler/simulator/wait-tradeoff.ts';

const seeds = Number(process.argv[2] ?? 3);
const started = performance.now();
const bench = runSchedulerBench({ traces: TRACE_NAMES, policies: POLICY_NAMES, seeds });
const elapsed = performance.now() - started;
console.log(`scheduler benchmark: ${seeds} seed(s), medians over seeds, simulated time`);
for (const line of benchTables(bench)) console.log(line);

// the trade-off curve on T4, the trace where GXA's wait bound and throughput pull apart
const t4run = bench.traces.find((t) => t.trace.name === 'T4');
if (t4run) {
  const rho = Math.min(
    0.999,
    t4run.trace.rho ?? t4run.policies.find((p) => p.name === 'gxa')?.metrics.utilization ?? 0.5,
  );
  console.log('');
  for (const line of tradeoffLines(t4run.trace, waitTradeoff(t4run.trace, seeds, rho))) console.log(line);
}

console.log('\nTargets (reported, never asserted):');
for (const line of formatTargets(schedulerTargets(bench))) console.log(line);

// Speed: the largest trace (T3, 117 agents, 3 servers) under GXA, then T2 at 0.85, on one thread.
// Steady state: a warm-up pass first, then timed passes of 20 seeds each; median and range over
// passes. Set-up (trace generation, cost resolution, state, agents) is timed apart from the event
// loop. Wall time suffers when the machine is shared; CPU time of this process is printed too.
const meters = {
  wallMs: () => performance.now(),
  cpuMs: () => {
    const c = process.cpuUsage();
    return (c.user + c.system) / 1000;
  },
};
const passes = 7;
const seedsPerPass = 20;
const speed: Array<[string, SpeedReport]> = [];
for (const [name, make] of [
  ['T3', () => t3()],
  ['T2@0.85', () => t2(0.85)],
] as const)
  speed.push([name, measureSpeed(make, policyByName('gxa'), { passes, seeds: seedsPerPass }, meters)]);

const n = (x: number): string => Math.round(x).toLocaleString('en-US');
const ms = (x: Spread): string => `${x.median.toFixed(1)} ms (${x.min.toFixed(1)}-${x.max.toFixed(1)})`;
const r = (x: Spread): string => `${n(x.median)}/s (${n(x.min)}-${n(x.max)})`;
console.log(
  `\nSimulator speed (one thread, gxa, ${seedsPerPass} seeds per pass, 1 warm-up + ${passes} timed passes, median (range)):`,
);
for (const [name, s] of speed) {
  console.log(`  ${name}: ${s.events} scheduling events per pass`);
  console.log(`    event loop: ${ms(s.loopWallMs)} wall, ${ms(s.loopCpuMs)} CPU`);
  console.log(`    rate: ${r(s.wallRate)} wall, ${r(s.cpuRate)} CPU`);
  console.log(
    `    one-off set-up: trace generation ${ms(s.traceMs)}, per pass (costs, state, agents) ${ms(s.setupMs)}; summary per pass (percentiles) ${ms(s.summaryMs)}`,
  );
}
console.log(
  `  whole table benchmark (cold, incl. set-up): ${bench.events} events in ${elapsed.toFixed(0)} ms wall = ${n(bench.events / (elapsed / 1000))} events/s`,
);
const cpuRates = speed.map(([, s]) => s.cpuRate.median);
const worst = Math.min(...cpuRates);
const best = Math.max(...cpuRates);
console.log(
  `  ${worst >= 1e6 ? 'PASS' : 'MISS'}  target >= 1,000,000 events/s on one core (median CPU rate of the event loop): ${n(worst)} to ${n(best)} (ratio ${(worst / 1e6).toFixed(2)} to ${(best / 1e6).toFixed(2)})`,
);
