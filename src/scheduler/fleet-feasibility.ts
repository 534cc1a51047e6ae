// The W_target feasibility check applied to one server of a fleet: K = its mutually exclusive big
// models, L = its slowest load, drain = one typical call of its largest model.
import { serviceSeconds, type FleetCosts } from '../cost/model-costs.ts';
import { checkWaitTarget, type FeasibilityResult } from './feasibility.ts';

export function serverWaitTargetCheck(
  costs: FleetCosts,
  server: string,
  waitTargetSeconds: number,
  rho: number,
): FeasibilityResult | undefined {
  const s = costs.servers.get(server);
  const models = [...costs.models.values()].filter((c) => c.server === server);
  if (!s || models.length === 0) return undefined;
  const total = models.reduce((n, c) => n + c.memoryGiB, 0);
  const big = models.filter((c) => c.memoryGiB > s.memoryGiB / 2).length;
  const exclusiveModels = total <= s.memoryGiB ? 1 : Math.max(2, big);
  const largest = models.reduce((a, b) => (b.memoryGiB > a.memoryGiB ? b : a));
  return checkWaitTarget({
    waitTargetSeconds,
    exclusiveModels,
    loadSeconds: Math.max(...models.map((c) => c.loadSeconds)),
    rho,
    drainSeconds: serviceSeconds(largest, 1500, 350),
  });
}
