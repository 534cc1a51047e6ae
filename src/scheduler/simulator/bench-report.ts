// `orchestra bench scheduler`: every chosen policy over every chosen trace with the same seeds;
// medians over seeds; a side-by-side table per trace, or one JSON document.
import { POLICY_NAMES, type PolicyName } from '../../config/schema.ts';
import { resolveModelCosts } from '../../cost/model-costs.ts';
import { serverWaitTargetCheck } from '../fleet-feasibility.ts';
import { policyByName } from '../policies/index.ts';
import { medianMetrics, type SimMetrics, type WaitStats } from './metrics.ts';
import { simulate } from './simulator.ts';
import type { Trace } from './trace.ts';
import { tracesOf, type TraceName } from './traces.ts';

export interface SchedulerBenchOptions {
  traces: readonly TraceName[];
  policies: readonly PolicyName[];
  seeds: number;
}

export interface PolicyRun {
  name: PolicyName;
  metrics: SimMetrics;
}

export interface TraceRun {
  trace: Trace;
  policies: PolicyRun[];
}

export interface SchedulerBench {
  traces: TraceRun[];
  /** decide() calls over all runs */
  events: number;
}

export function runSchedulerBench(o: SchedulerBenchOptions): SchedulerBench {
  const out: TraceRun[] = [];
  let events = 0;
  for (const family of o.traces)
    for (const trace of tracesOf(family)) {
      const policies: PolicyRun[] = [];
      for (const name of o.policies) {
        const runs: SimMetrics[] = [];
        for (let seed = 1; seed <= o.seeds; seed++) {
          const { state: _state, waits: _waits, ...m } = simulate(policyByName(name), trace, seed);
          events += m.events;
          runs.push(m);
        }
        policies.push({ name, metrics: medianMetrics(runs) });
      }
      out.push({ trace, policies });
    }
  return { traces: out, events };
}

const r3 = (n: number): number => Math.round(n * 1000) / 1000;
const waitJson = (w: WaitStats) => ({ p50: r3(w.p50), p95: r3(w.p95), p99: r3(w.p99), max: r3(w.max) });

/** the JSON document of the issue: seconds of simulated time, medians over seeds */
export function benchJson(b: SchedulerBench): unknown {
  return {
    traces: b.traces.map((t) => ({
      name: t.trace.name,
      policies: t.policies.map(({ name, metrics: m }) => ({
        name,
        swaps: r3(m.swaps),
        visitsByModel: m.visitsByModel,
        swapFloor: r3(m.swapFloor),
        loadSeconds: r3(m.loadSeconds),
        reprefillTokens: r3(m.reprefillTokens),
        makespanSeconds: r3(m.makespanSeconds),
        throughputPerMinute: r3(m.throughputPerMinute),
        wait: waitJson(m.wait),
        waitByModel: Object.fromEntries(
          Object.entries(m.waitByModel).map(([k, w]) => [
            k,
            { p50: r3(w.p50), p99: r3(w.p99), max: r3(w.max) },
          ]),
        ),
        jain: r3(m.jain),
        withinTarget: r3(m.withinTarget),
      })),
    })),
  };
}

const COLUMNS = [
  'policy',
  'swaps',
  'load s',
  're-prefill',
  'makespan m',
  'calls/min',
  'p50 s',
  'p95 s',
  'p99 s',
  'max s',
  'jain',
  '<=W',
  'max wait by model (s)',
];

/** one side-by-side table per trace */
export function benchTables(b: SchedulerBench): string[] {
  const lines: string[] = [];
  for (const t of b.traces) {
    lines.push('', `${t.trace.name}: ${t.trace.description}`);
    const extra: string[] = [];
    if (t.trace.lowerBoundSeconds)
      extra.push(`lower bound ${(t.trace.lowerBoundSeconds / 60).toFixed(2)} min`);
    if (t.trace.offeredCallsPerMinute)
      extra.push(`offered ${t.trace.offeredCallsPerMinute.toFixed(2)} calls/min`);
    extra.push(`W_target ${t.trace.options.waitTargetMs / 1000} s`);
    lines.push(`  (${extra.join(', ')})`);
    lines.push(...feasibilityLines(t));
    const rows = t.policies.map(({ name, metrics: m }) => [
      name,
      fmt(m.swaps, 0),
      fmt(m.loadSeconds, 0),
      fmt(m.reprefillTokens, 0),
      fmt(m.makespanSeconds / 60, 2),
      fmt(m.throughputPerMinute, 2),
      fmt(m.wait.p50, 1),
      fmt(m.wait.p95, 1),
      fmt(m.wait.p99, 1),
      fmt(m.wait.max, 1),
      fmt(m.jain, 3),
      `${fmt(m.withinTarget * 100, 1)}%`,
      Object.entries(m.waitByModel)
        .map(([k, w]) => `${k}=${fmt(w.max, 0)}`)
        .join(' '),
    ]);
    lines.push(...table([COLUMNS, ...rows]));
  }
  return lines;
}

/** the W_target check per server, at the trace's offered rho or else GXA's measured utilization */
function feasibilityLines(t: TraceRun): string[] {
  const costs = resolveModelCosts(t.trace.fleet);
  const measured = t.policies.find((p) => p.name === 'gxa')?.metrics.utilization;
  const rho = Math.min(0.999, t.trace.rho ?? measured ?? 0.5);
  const out: string[] = [];
  for (const server of costs.servers.keys()) {
    const r = serverWaitTargetCheck(costs, server, t.trace.options.waitTargetMs / 1000, rho);
    if (r) out.push(`  W_target check ${server}: ${r.message}${r.suggestion ? `; ${r.suggestion}` : ''}`);
  }
  return out;
}

function fmt(n: number, digits: number): string {
  return n.toFixed(digits);
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map(
    (r) =>
      '  ' +
      r
        .map((c, i) => (i === 0 || i === r.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
        .join('  ')
        .trimEnd(),
  );
}

export { POLICY_NAMES };
