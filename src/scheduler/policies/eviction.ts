// Rule 4: which resident models to evict so that `incoming` fits. With DAG hints, the model needed
// furthest in the future goes first; otherwise the least (predicted demand x reload cost), where
// reload cost = load + re-prefill of the agent contexts cached in it. A model whose gate is open
// (or, for exhaustive, that still has work) is never a victim.
import type { ModelState, ServerState } from '../scheduler-state.ts';
import { loadedCount, usedGiB } from '../scheduler-state.ts';
import { cachedTokens, demandOf } from './policy-helpers.ts';

export function chooseVictims(
  server: ServerState,
  incoming: ModelState,
  now: number,
  allowed: (ms: ModelState) => boolean,
): ModelState[] | undefined {
  const candidates: ModelState[] = [];
  for (const m of server.models.values())
    if (m.phase === 'resident' && m !== incoming && allowed(m)) candidates.push(m);
  if (candidates.length > 1) rank(server, candidates, now);
  let free = server.memoryGiB - usedGiB(server);
  let count = loadedCount(server);
  const victims: ModelState[] = [];
  for (const v of candidates) {
    if (free + 1e-9 >= incoming.memoryGiB && count < server.maxLoaded) break;
    victims.push(v);
    free += v.memoryGiB;
    count--;
  }
  return free + 1e-9 >= incoming.memoryGiB && count < server.maxLoaded ? victims : undefined;
}

/**
 * Sorts the candidates in place, best victim first: needed furthest ahead (with hints), then the
 * smallest demand x reload cost, then by name. Keys are computed once per candidate (not per
 * comparison); the order is total (names are unique per server), so an insertion sort gives the
 * same order as any stable sort.
 */
function rank(server: ServerState, candidates: ModelState[], now: number): void {
  const nextUse = hasHints(server) ? hintedNextUse(server) : undefined;
  const use: number[] = [];
  const score: number[] = [];
  for (let i = 0; i < candidates.length; i++) {
    const m = candidates[i]!;
    const u = nextUse?.get(m.model) ?? Infinity;
    const sc =
      (demandOf(m, now) + m.queue.length + m.running.size + m.returning.size) *
      (m.loadMs + cachedTokens(m) / m.prefillPerMs);
    // insertion: shift the ranked candidates that come after m one place up
    let k = i;
    for (; k > 0; k--) {
      const j = k - 1;
      // the comparator of the order: later use first, then the smaller score, then the name
      const d = score[j]! - sc;
      const after = nextUse && use[j] !== u ? u - use[j]! > 0 : d ? d > 0 : m.model < candidates[j]!.model;
      if (!after) break;
      candidates[k] = candidates[j]!;
      use[k] = use[j]!;
      score[k] = score[j]!;
    }
    candidates[k] = m;
    use[k] = u;
    score[k] = sc;
  }
}

function hasHints(server: ServerState): boolean {
  for (const ms of server.models.values()) for (const r of ms.queue) if (r.upcomingModels) return true;
  return false;
}

/** model -> how soon any known request's hints need it (0 = queued now); undefined without hints */
function hintedNextUse(server: ServerState): Map<string, number> | undefined {
  let hinted = false;
  const use = new Map<string, number>();
  const note = (m: string, d: number): void => {
    const old = use.get(m);
    if (old === undefined || d < old) use.set(m, d);
  };
  for (const ms of server.models.values()) {
    if (ms.queue.length > 0 || ms.running.size > 0) note(ms.model, 0);
    for (const r of ms.queue) {
      if (!r.upcomingModels) continue;
      hinted = true;
      r.upcomingModels.forEach((m, i) => note(m, i + 1));
    }
  }
  return hinted ? use : undefined;
}
