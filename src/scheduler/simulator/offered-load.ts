// Sizing on/off traffic for a target load: the idle time between tasks that makes a set of
// closed-loop agents offer `rho` of the capacity (DESIGN.md T2/T3). Means of the LogNormal draws
// the simulator uses, so the figure is what the trace offers before swaps and re-prefill.
import { serviceSeconds, type ModelCosts } from '../../cost/model-costs.ts';

const MEAN_FACTOR_06 = Math.exp(0.6 ** 2 / 2);
const MEAN_TURNS = 13;

/** mean seconds of one call of a task on `c`, the task's first 6k of context spread over its turns */
export function meanCallSeconds(c: ModelCosts): number {
  return serviceSeconds(c, 1500 * MEAN_FACTOR_06 + 6000 / MEAN_TURNS, 350 * MEAN_FACTOR_06);
}

export interface AgentGroupLoad {
  count: number;
  /** mean seconds per call */
  callSeconds: number;
}

/**
 * Median off time (ms, LogNormal sigma 1) between tasks so that the groups offer `rho` (in units
 * of one server's capacity; pass rho x servers for several). 0 when even back-to-back tasks offer less.
 */
export function offMedianForLoad(
  groups: readonly AgentGroupLoad[],
  rho: number,
  toolDelayMedianMs: number,
): number {
  const d = (toolDelayMedianMs / 1000) * Math.exp(0.8 ** 2 / 2);
  const offered = (offMean: number): number =>
    groups.reduce(
      (sum, g) => sum + (g.count * MEAN_TURNS * g.callSeconds) / (MEAN_TURNS * (g.callSeconds + d) + offMean),
      0,
    );
  if (offered(0) <= rho) return 0;
  let lo = 0;
  let hi = 1;
  while (offered(hi) > rho) hi *= 2;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (offered(mid) > rho) lo = mid;
    else hi = mid;
  }
  return (hi / Math.exp(0.5)) * 1000;
}

/** calls per minute the groups would make if every call were served at once (no waiting) */
export function offeredCallsPerMinute(
  groups: readonly AgentGroupLoad[],
  offMedianMs: number,
  toolDelayMedianMs: number,
): number {
  const d = (toolDelayMedianMs / 1000) * Math.exp(0.8 ** 2 / 2);
  const off = (offMedianMs / 1000) * Math.exp(0.5);
  const perSecond = groups.reduce(
    (sum, g) => sum + (g.count * MEAN_TURNS) / (MEAN_TURNS * (g.callSeconds + d) + off),
    0,
  );
  return perSecond * 60;
}
