// Metrics of one simulated run (DESIGN.md "Metrics"): swaps, load seconds, re-prefill tokens,
// makespan and throughput, waits overall and per model, Jain fairness, share within W_target.
import { median, percentile } from '../../lib/stats.ts';

export interface WaitStats {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface SimMetrics {
  /** model loads (the first load of a model counts too) */
  swaps: number;
  /** the same loads by model */
  loadsByModel: Record<string, number>;
  /** server -> model -> visits (loads): a policy's swaps are judged against the floor they need */
  visitsByModel: Record<string, Record<string, number>>;
  /** the fewest loads those visits need: two per visit to a model not resident at the start */
  swapFloor: number;
  loadSeconds: number;
  reprefillTokens: number;
  makespanSeconds: number;
  throughputPerMinute: number;
  /** seconds */
  wait: WaitStats;
  waitByModel: Record<string, WaitStats>;
  /** Jain index over agents of served / (served + waited) time */
  jain: number;
  withinTarget: number;
  calls: number;
  rejected: number;
  /** server-busy seconds / (servers x makespan) */
  utilization: number;
  /** scheduling events (decide() calls) */
  events: number;
}

export function waitStats(values: number[]): WaitStats {
  const s = new Float64Array(values).sort();
  return {
    p50: percentile(s, 50),
    p95: percentile(s, 95),
    p99: percentile(s, 99),
    max: s.length ? s[s.length - 1]! : 0,
  };
}

export function jainIndex(xs: readonly number[]): number {
  if (xs.length === 0) return 1;
  let sum = 0;
  let sq = 0;
  for (const x of xs) {
    sum += x;
    sq += x * x;
  }
  return sq === 0 ? 1 : (sum * sum) / (xs.length * sq);
}

/** the median of each numeric field over runs (several seeds) */
export function medianMetrics(runs: readonly SimMetrics[]): SimMetrics {
  const med = (f: (m: SimMetrics) => number): number => median(runs.map(f));
  const medWait = (f: (m: SimMetrics) => WaitStats | undefined): WaitStats => ({
    p50: med((m) => f(m)?.p50 ?? 0),
    p95: med((m) => f(m)?.p95 ?? 0),
    p99: med((m) => f(m)?.p99 ?? 0),
    max: med((m) => f(m)?.max ?? 0),
  });
  const models = new Set(runs.flatMap((r) => Object.keys(r.waitByModel)));
  const waitByModel: Record<string, WaitStats> = {};
  for (const m of [...models].sort()) waitByModel[m] = medWait((r) => r.waitByModel[m]);
  const loadsByModel: Record<string, number> = {};
  for (const m of [...new Set(runs.flatMap((r) => Object.keys(r.loadsByModel)))].sort())
    loadsByModel[m] = med((r) => r.loadsByModel[m] ?? 0);
  const visitsByModel: Record<string, Record<string, number>> = {};
  for (const server of [...new Set(runs.flatMap((r) => Object.keys(r.visitsByModel)))].sort()) {
    const models = new Set(runs.flatMap((r) => Object.keys(r.visitsByModel[server] ?? {})));
    visitsByModel[server] = {};
    for (const m of [...models].sort())
      visitsByModel[server][m] = med((r) => r.visitsByModel[server]?.[m] ?? 0);
  }
  return {
    swaps: med((m) => m.swaps),
    loadsByModel,
    visitsByModel,
    swapFloor: med((m) => m.swapFloor),
    loadSeconds: med((m) => m.loadSeconds),
    reprefillTokens: med((m) => m.reprefillTokens),
    makespanSeconds: med((m) => m.makespanSeconds),
    throughputPerMinute: med((m) => m.throughputPerMinute),
    wait: medWait((r) => r.wait),
    waitByModel,
    jain: med((m) => m.jain),
    withinTarget: med((m) => m.withinTarget),
    calls: med((m) => m.calls),
    rejected: med((m) => m.rejected),
    utilization: med((m) => m.utilization),
    events: med((m) => m.events),
  };
}
