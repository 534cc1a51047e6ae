// The wait target GXA acts on (issue 19, part 1). A configured W_target below the server's
// feasibility bound cannot be held: chasing it makes GXA swap at every missed deadline, and on a
// saturated server each swap costs throughput (two loads and the re-prefill of every agent context
// the evicted model held: 540k tokens on T4 against Ollama's 73k). GXA then acts on the bound
// instead: the spacing of visits at which swaps take at most `maxSwapShare` of the server's time,
// a swap costing its loads and the re-prefill of the evicted contexts (docs/decisions/0005).
import type { SchedulerState, ServerState } from '../scheduler-state.ts';
import { cachedTokens, drainMs, rhoOf } from './policy-helpers.ts';

/** W (ms) GXA's soft triggers use on `server`: the configured target or, if higher, the bound */
export function effectiveWaitMs(state: SchedulerState, server: ServerState, now: number): number {
  const w = state.options.waitTargetMs;
  if (state.options.hard) return w;
  const required = requiredWaitMs(server, now);
  if (w >= required) return w;
  return Math.max(required, swapBoundMs(server, state.options.maxSwapShare));
}

/**
 * DESIGN.md's feasibility bound at the server's measured load, online: R + (K-1)(L + L*rho/(1-rho))
 * + L with K = 2 when a model waits that is not resident, L the slowest load, R the longest drain
 * of the work in flight on a resident model
 */
export function requiredWaitMs(server: ServerState, now: number): number {
  let l = 0;
  let r = 0;
  let absent = false;
  for (const m of server.models.values()) {
    if (m.loadMs > l) l = m.loadMs;
    if (m.phase === 'absent') absent ||= m.queue.length > 0;
    else r = Math.max(r, drainMs(m, now));
  }
  if (!absent) return 0;
  const rho = rhoOf(server);
  return r + l + (l * rho) / (1 - rho) + l;
}

/**
 * the visit spacing (ms) at which swaps take `maxSwapShare` of the server: a swap's cost over that
 * share. The cost, in server time: the visited model's load, the load back of the victim and the
 * re-prefill of the contexts it held (the cheapest victim's), weighted by the victim's share of
 * the resident models (the others keep serving meanwhile).
 */
export function swapBoundMs(server: ServerState, maxSwapShare: number): number {
  let visitLoad = 0;
  let victimCost = Infinity;
  let resident = 0;
  for (const m of server.models.values()) {
    if (m.phase === 'absent') {
      // the visit's own calls displace the victim's too: they count with its loads
      let work = m.loadMs;
      for (const r of m.queue) work += r.serviceMs;
      if (m.queue.length > 0) visitLoad = Math.max(visitLoad, work);
      continue;
    }
    resident++;
    const reprefill = m.prefillPerMs > 0 ? cachedTokens(m) / m.prefillPerMs : 0;
    victimCost = Math.min(victimCost, m.loadMs + reprefill);
  }
  // nothing waits to be swapped in, or nothing to evict: no bound to respect
  if (visitLoad === 0 || resident === 0) return 0;
  return (visitLoad + victimCost) / resident / maxSwapShare;
}
