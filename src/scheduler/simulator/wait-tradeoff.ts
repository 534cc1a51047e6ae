// The trade-off GXA makes between its wait bound and its throughput (issue 19, part 1): GXA at a
// range of wait targets, from the configured one through the feasibility bound to unbounded, with
// Ollama's point beside it, on the same trace and seeds.
import { resolveModelCosts } from '../../cost/model-costs.ts';
import { serverWaitTargetCheck } from '../fleet-feasibility.ts';
import { policyByName } from '../policies/index.ts';
import { medianMetrics, type SimMetrics } from './metrics.ts';
import { simulate } from './simulator.ts';
import type { Trace } from './trace.ts';

export interface TradeoffPoint {
  policy: 'gxa' | 'ollama';
  /** the configured W_target, seconds (Infinity: unbounded) */
  waitTargetSeconds: number;
  label: string;
  metrics: SimMetrics;
}

/** the wait targets to try: multiples of the configured one up to the feasibility bound, unbounded */
export function tradeoffTargets(trace: Trace, rho: number): Array<{ seconds: number; label: string }> {
  const w = trace.options.waitTargetMs / 1000;
  const costs = resolveModelCosts(trace.fleet);
  const bounds = trace.fleet.servers
    .map((s) => serverWaitTargetCheck(costs, s.name, w, rho)?.requiredSeconds ?? 0)
    .filter((x) => Number.isFinite(x));
  const feasible = Math.max(0, ...bounds);
  const out = [{ seconds: w, label: 'configured' }];
  for (const k of [2, 4, 6, 9, 12, 18]) if (k * w < feasible) out.push({ seconds: k * w, label: `${k}x` });
  if (feasible > w) out.push({ seconds: Math.ceil(feasible), label: 'feasible bound' });
  out.push({ seconds: Infinity, label: 'unbounded' });
  return out;
}

export function waitTradeoff(trace: Trace, seeds: number, rho: number): TradeoffPoint[] {
  const run = (policy: 'gxa' | 'ollama', seconds: number): SimMetrics => {
    const waitTargetMs = Number.isFinite(seconds) ? seconds * 1000 : Number.MAX_SAFE_INTEGER;
    const t: Trace = { ...trace, options: { ...trace.options, waitTargetMs } };
    const runs: SimMetrics[] = [];
    for (let seed = 1; seed <= seeds; seed++) {
      const { state: _s, waits: _w, ...m } = simulate(policyByName(policy), t, seed);
      runs.push(m);
    }
    return medianMetrics(runs);
  };
  const w = trace.options.waitTargetMs / 1000;
  const points: TradeoffPoint[] = [
    { policy: 'ollama', waitTargetSeconds: w, label: 'Ollama', metrics: run('ollama', w) },
  ];
  for (const t of tradeoffTargets(trace, rho))
    points.push({
      policy: 'gxa',
      waitTargetSeconds: t.seconds,
      label: t.label,
      metrics: run('gxa', t.seconds),
    });
  return points;
}

/** the table: max and median wait, throughput and swaps, each beside Ollama's as a ratio */
export function tradeoffLines(trace: Trace, points: readonly TradeoffPoint[]): string[] {
  const o = points.find((p) => p.policy === 'ollama')!.metrics;
  const r = (a: number, b: number): string => (b > 0 ? `${(a / b).toFixed(2)}x` : '-');
  const lines = [
    `${trace.name}: GXA's wait bound against its throughput (medians over seeds; ratios to Ollama)`,
    '  point               W_target s   max wait s      p50 wait s     calls/min       swaps',
  ];
  for (const p of points) {
    const m = p.metrics;
    const w = Number.isFinite(p.waitTargetSeconds) ? String(Math.round(p.waitTargetSeconds)) : 'inf';
    const name = p.policy === 'ollama' ? 'ollama' : `gxa ${p.label}`;
    lines.push(
      `  ${name.padEnd(20)}${w.padStart(10)}${`${m.wait.max.toFixed(0)} ${r(m.wait.max, o.wait.max)}`.padStart(15)}${`${m.wait.p50.toFixed(0)} ${r(m.wait.p50, o.wait.p50)}`.padStart(16)}${`${m.throughputPerMinute.toFixed(2)} ${r(m.throughputPerMinute, o.throughputPerMinute)}`.padStart(14)}${String(m.swaps).padStart(12)}`,
    );
  }
  return lines;
}
