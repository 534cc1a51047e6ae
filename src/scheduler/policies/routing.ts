// Choosing a server for a request when its model lives on several. Baselines balance like a plain
// load balancer (a server that has the model loaded, then the shortest queue); GXA routes by ETA
// with agent affinity (DESIGN.md rule 5).
import type { ModelState, SchedulerState, ServerState } from '../scheduler-state.ts';
import { fitsNow } from '../scheduler-state.ts';
import type { SchedRequest } from '../scheduler-types.ts';
import { chooseVictims } from './eviction.ts';
import { backlogMs, cachedTokens, demandOf, drainMs, queuedCount, reprefillMs } from './policy-helpers.ts';

/** decayed arrivals (10 min memory) above which an idle model still counts as in use */
const WANTED_DEMAND = 3;

export function baselineRoute(r: SchedRequest, candidates: readonly ServerState[]): ServerState {
  let best = candidates[0]!;
  let bestKey = routeKey(best, r);
  for (let i = 1; i < candidates.length; i++) {
    const k = routeKey(candidates[i]!, r);
    if (k < bestKey) {
      best = candidates[i]!;
      bestKey = k;
    }
  }
  return best;
}

function routeKey(s: ServerState, r: SchedRequest): number {
  const ms = s.models.get(r.model)!;
  const ready = ms.phase === 'resident' || ms.phase === 'loading' ? 0 : 1e6;
  return ready + queuedCount(s);
}

/**
 * predicted ms until `r` is served on `s`: backlog + load if not resident + its re-prefill +
 * service, plus what a load would cost the models it displaces (their drain and the re-prefill of
 * their agents' contexts), so placement keeps few mutually exclusive big models per server.
 */
export function etaMs(s: ServerState, r: SchedRequest, now: number): number {
  return etaAfter(backlogMs(s, now), s, r, now);
}

/** etaMs with the server's backlog already known */
function etaAfter(backlog: number, s: ServerState, r: SchedRequest, now: number): number {
  const ms = s.models.get(r.model)!;
  let eta = backlog + r.serviceMs;
  if (ms.phase === 'absent' || ms.phase === 'unloading') {
    eta += ms.loadMs;
    if (!fitsNow(s, ms)) eta += displacementMs(s, ms, now);
  }
  eta += reprefillMs(ms, r);
  return eta;
}

function displacementMs(s: ServerState, incoming: ModelState, now: number): number {
  // while another load is under way no victim set is final: price every loaded model
  const victims =
    chooseVictims(s, incoming, now, () => true) ??
    [...s.models.values()].filter((m) => m !== incoming && m.phase !== 'absent');
  let cost = 0;
  for (const v of victims) {
    // only agents still using the victim (queued or between two turns) pay for its eviction
    let tokens = 0;
    for (const r of v.queue) tokens += r.contextTokens;
    for (const [agent, until] of v.returning) if (until > now) tokens += v.cached.get(agent) ?? 0;
    const inUse = tokens > 0 || v.running.size > 0;
    // a model in steady use (several calls in the last minutes) will be wanted back: its agents'
    // caches and a reload are the price too, or bursty groups ping-pong between two big models
    const wanted = demandOf(v, now) >= WANTED_DEMAND || v.cached.size >= WANTED_DEMAND;
    if (wanted) tokens = Math.max(tokens, cachedTokens(v));
    cost += drainMs(v, now) + tokens / v.prefillPerMs + (inUse || wanted ? v.loadMs : 0);
  }
  return cost;
}

/** predicted ms before `r` starts on `s`: the backlog, plus a load when its model is not there */
export function waitMs(s: ServerState, r: SchedRequest, now: number): number {
  return waitAfter(backlogMs(s, now), s, r);
}

function waitAfter(backlog: number, s: ServerState, r: SchedRequest): number {
  const ms = s.models.get(r.model)!;
  return backlog + (ms.phase === 'absent' || ms.phase === 'unloading' ? ms.loadMs : 0);
}

/**
 * The server with the smallest ETA (rule 5), with agent affinity. `waitMs` is the request's own
 * predicted wait there (for admission); the displacement of other models only steers placement.
 */
export function etaRoute(
  state: SchedulerState,
  r: SchedRequest,
  candidates: readonly ServerState[],
  now: number,
): { server: ServerState; waitMs: number } {
  if (candidates.length === 1) {
    const only = candidates[0]!;
    return { server: only, waitMs: waitMs(only, r, now) };
  }
  return pick(state, r, candidates, now);
}

/** the ETA choice among several candidates; each server's backlog is computed once */
function pick(
  state: SchedulerState,
  r: SchedRequest,
  candidates: readonly ServerState[],
  now: number,
): { server: ServerState; waitMs: number } {
  const homeName = state.home.get(r.agentId);
  let best = candidates[0]!;
  let bestBacklog = backlogMs(best, now);
  let bestEta = etaAfter(bestBacklog, best, r, now);
  let home = best.name === homeName ? best : undefined;
  let homeEta = bestEta;
  let homeBacklog = bestBacklog;
  for (let i = 1; i < candidates.length; i++) {
    const s = candidates[i]!;
    const backlog = backlogMs(s, now);
    const eta = etaAfter(backlog, s, r, now);
    if (eta < bestEta) {
      best = s;
      bestEta = eta;
      bestBacklog = backlog;
    }
    if (home === undefined && s.name === homeName) {
      home = s;
      homeEta = eta;
      homeBacklog = backlog;
    }
  }
  const atHome = home?.models.get(r.model);
  // Affinity holds while home still has the model (its cache lives there); once home has moved
  // on to another model the cache is gone, and following the agent back would ping-pong models.
  if (home && atHome && home !== best && (atHome.phase === 'resident' || atHome.phase === 'loading')) {
    // Moving loses the agent's cache at home: stay unless the gain exceeds a re-prefill.
    const reprefill = r.contextTokens / best.models.get(r.model)!.prefillPerMs;
    if (homeEta <= bestEta + reprefill) return { server: home, waitMs: waitAfter(homeBacklog, home, r) };
  }
  return { server: best, waitMs: waitAfter(bestBacklog, best, r) };
}
