// The W_target feasibility check to print for users (DESIGN.md "Online policy: GXA"): with K
// mutually exclusive models on a server, load time L, load rho and drain R, a wait target is
// feasible only if W_target >= R + (K-1) * (L + L*rho/(1-rho)) + L.

export interface FeasibilityInput {
  /** W_target, seconds */
  waitTargetSeconds: number;
  /** K: models that cannot be resident together on the server */
  exclusiveModels: number;
  /** L: load time of a model, seconds (use the largest) */
  loadSeconds: number;
  /** rho: offered load of the server, 0..1 */
  rho: number;
  /** R: time to drain the in-flight work of the model being left, seconds */
  drainSeconds: number;
}

export interface FeasibilityResult {
  feasible: boolean;
  /** the smallest feasible W_target, seconds (Infinity when rho >= 1) */
  requiredSeconds: number;
  message: string;
  suggestion?: string;
}

export function requiredWaitTargetSeconds(i: Omit<FeasibilityInput, 'waitTargetSeconds'>): number {
  if (i.rho >= 1) return Infinity;
  const k = Math.max(1, i.exclusiveModels);
  const l = i.loadSeconds;
  return i.drainSeconds + (k - 1) * (l + (l * i.rho) / (1 - i.rho)) + l;
}

export function checkWaitTarget(i: FeasibilityInput): FeasibilityResult {
  const required = requiredWaitTargetSeconds(i);
  const fmt = (s: number): string => (Number.isFinite(s) ? `${Math.round(s)} s` : 'unbounded');
  const facts = `K=${i.exclusiveModels} exclusive models, L=${fmt(i.loadSeconds)}, rho=${i.rho.toFixed(2)}, drain ${fmt(i.drainSeconds)}`;
  if (i.waitTargetSeconds >= required)
    return {
      feasible: true,
      requiredSeconds: required,
      message: `W_target ${fmt(i.waitTargetSeconds)} is feasible (needs >= ${fmt(required)} with ${facts})`,
    };
  return {
    feasible: false,
    requiredSeconds: required,
    message: `W_target ${fmt(i.waitTargetSeconds)} is infeasible: with ${facts} it must be at least ${fmt(required)}`,
    suggestion:
      i.rho >= 1
        ? 'the server is overloaded (rho >= 1): move a model to another server or add one'
        : i.exclusiveModels > 1
          ? `raise waitTargetSeconds to ${Math.ceil(required)}, or place models so each server has fewer mutually exclusive big models (a second server, or smaller contexts so models fit together)`
          : `raise waitTargetSeconds to ${Math.ceil(required)}`,
  };
}
