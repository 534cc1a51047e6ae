// The simulator's speed in steady state: a warm-up pass over the same trace first (JIT), then
// several timed passes; the one-off set-up (trace generation, cost resolution, state and agents)
// and the one-off summary at the end (sorting waits into percentiles) are timed apart from the
// event loop. Only events fed to decide() count. Times come from injected
// meters so this module stays free of process globals (the bench passes wall and CPU clocks).
import type { Policy } from '../policy.ts';
import { prepareSimulation } from './simulator.ts';
import type { Trace } from './trace.ts';
import { median } from '../../lib/stats.ts';

export interface SpeedMeters {
  /** wall clock, ms */
  wallMs(): number;
  /** CPU time of this process (user + system), ms */
  cpuMs(): number;
}

export interface SpeedOptions {
  /** timed passes; each pass runs seeds 1..seeds */
  passes: number;
  seeds: number;
}

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export interface SpeedReport {
  /** scheduling events of one pass (the same every pass: runs are seeded) */
  events: number;
  /** building the trace once, ms (median over passes) */
  traceMs: Spread;
  /** set-up of one pass (every seed's costs, state and agents), ms */
  setupMs: Spread;
  /** the metrics summaries of one pass (every seed's), ms */
  summaryMs: Spread;
  /** event loop of one pass, ms */
  loopWallMs: Spread;
  loopCpuMs: Spread;
  /** events per second of the event loop alone, per pass */
  wallRate: Spread;
  cpuRate: Spread;
}

export function measureSpeed(
  makeTrace: () => Trace,
  policy: Policy,
  o: SpeedOptions,
  meters: SpeedMeters,
): SpeedReport {
  const trace = makeTrace();
  pass(trace, policy, o.seeds, meters); // warm-up: same trace, same code paths, not counted
  const traceMs: number[] = [];
  const setupMs: number[] = [];
  const summaryMs: number[] = [];
  const wall: number[] = [];
  const cpu: number[] = [];
  let events = 0;
  for (let p = 0; p < o.passes; p++) {
    const t0 = meters.wallMs();
    makeTrace();
    traceMs.push(meters.wallMs() - t0);
    const r = pass(trace, policy, o.seeds, meters);
    setupMs.push(r.setupMs);
    summaryMs.push(r.summaryMs);
    wall.push(r.wallMs);
    cpu.push(r.cpuMs);
    events = r.events;
  }
  const rate = (ms: number[]): number[] => ms.map((m) => events / (m / 1000));
  return {
    events,
    traceMs: spread(traceMs),
    setupMs: spread(setupMs),
    summaryMs: spread(summaryMs),
    loopWallMs: spread(wall),
    loopCpuMs: spread(cpu),
    wallRate: spread(rate(wall)),
    cpuRate: spread(rate(cpu)),
  };
}

function pass(
  trace: Trace,
  policy: Policy,
  seeds: number,
  m: SpeedMeters,
): { events: number; setupMs: number; summaryMs: number; wallMs: number; cpuMs: number } {
  // each seed set up, run and summarised in turn, as simulate() does (setting every seed up
  // first keeps 20 states alive at once and slows the loops with old-generation writes)
  const out = { events: 0, setupMs: 0, summaryMs: 0, wallMs: 0, cpuMs: 0 };
  for (let seed = 1; seed <= seeds; seed++) {
    const s0 = m.wallMs();
    const sim = prepareSimulation(policy, trace, seed);
    const w0 = m.wallMs();
    const c0 = m.cpuMs();
    out.events += sim.runEvents();
    const c1 = m.cpuMs();
    const w1 = m.wallMs();
    sim.result();
    const w2 = m.wallMs();
    out.setupMs += w0 - s0;
    out.wallMs += w1 - w0;
    out.cpuMs += c1 - c0;
    out.summaryMs += w2 - w1;
  }
  return out;
}

export function spread(xs: readonly number[]): Spread {
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
}
