// Small moves every policy makes: enqueue in priority order, dispatch into a slot, start a load or
// an unload (one outstanding per server), and the estimates GXA's rules use.
import { setBounded } from '../../lib/bounded-map.ts';
import {
  MAX_REMEMBERED_AGENTS,
  type ModelState,
  type SchedulerState,
  type ServerState,
} from '../scheduler-state.ts';
import type { SchedAction, SchedRequest } from '../scheduler-types.ts';

/** inserts keeping priority order, FCFS within a priority (a stable insert from the back) */
export function enqueue(queue: SchedRequest[], r: SchedRequest): void {
  let i = queue.length;
  while (i > 0 && queue[i - 1]!.priority > r.priority) i--;
  if (i === queue.length) queue.push(r);
  else queue.splice(i, 0, r);
}

export function removeFrom(queue: SchedRequest[], id: string): boolean {
  const i = queue.findIndex((r) => r.id === id);
  if (i < 0) return false;
  queue.splice(i, 1);
  return true;
}

export function dispatch(
  state: SchedulerState,
  server: ServerState,
  ms: ModelState,
  r: SchedRequest,
  now: number,
  actions: SchedAction[],
): void {
  ms.running.set(r.id, now + r.serviceMs);
  server.queuedWorkMs -= r.serviceMs;
  ms.lastUsedMs = now;
  ms.expiresAtMs = Infinity;
  if (!r.anonymous) setBounded(ms.cached, r.agentId, r.contextTokens, MAX_REMEMBERED_AGENTS);
  const rec = state.requests.get(r.id);
  if (rec) rec.status = 'running';
  actions.push({ type: 'dispatch', requestId: r.id, server: server.name, model: ms.model });
}

/** dispatches from the model's own queue while it has free slots */
export function fillSlots(
  state: SchedulerState,
  server: ServerState,
  ms: ModelState,
  now: number,
  actions: SchedAction[],
): void {
  while (ms.phase === 'resident' && ms.running.size < server.parallel && ms.queue.length > 0)
    dispatch(state, server, ms, ms.queue.shift()!, now, actions);
}

export function startLoad(server: ServerState, ms: ModelState, actions: SchedAction[]): void {
  ms.phase = 'loading';
  server.pending = { kind: 'load', model: ms.model };
  actions.push({ type: 'load', server: server.name, model: ms.model });
}

export function startUnload(server: ServerState, ms: ModelState, actions: SchedAction[]): void {
  ms.phase = 'unloading';
  server.pending = { kind: 'unload', model: ms.model };
  actions.push({ type: 'unload', server: server.name, model: ms.model });
}

/** ms until the running requests of `ms` are predicted to finish */
export function drainMs(ms: ModelState, now: number): number {
  let end = now;
  for (const e of ms.running.values()) if (e > end) end = e;
  return end - now;
}

/** predicted ms of work queued and running on the server, spread over its slots */
export function backlogMs(server: ServerState, now: number): number {
  let work = server.queuedWorkMs;
  for (const ms of server.models.values()) for (const e of ms.running.values()) work += Math.max(0, e - now);
  return work / server.parallel;
}

export function queuedCount(server: ServerState): number {
  let n = server.fifo.length;
  for (const ms of server.models.values()) n += ms.queue.length;
  return n;
}

const DEMAND_TAU_MS = 600_000;

/** decayed count of recent arrivals for the model (a 10 min memory) */
export function demandOf(ms: ModelState, now: number): number {
  return ms.demand * Math.exp(-(now - ms.demandAtMs) / DEMAND_TAU_MS);
}

export function noteArrival(ms: ModelState, now: number): void {
  ms.demand = demandOf(ms, now) + 1;
  ms.demandAtMs = now;
}

/** keeps a decayed busy fraction per server: the rho of D_min */
export function noteTime(server: ServerState, now: number): void {
  const dt = now - server.lastEventMs;
  if (dt <= 0) return;
  let busy = false;
  for (const ms of server.models.values()) if (ms.running.size > 0) busy = true;
  const decay = Math.exp(-dt / DEMAND_TAU_MS);
  server.busyMs = server.busyMs * decay + (busy ? dt : 0);
  server.spanMs = server.spanMs * decay + dt;
  server.lastEventMs = now;
}

export function rhoOf(server: ServerState): number {
  return server.spanMs > 0 ? Math.min(0.95, server.busyMs / server.spanMs) : 0.5;
}

/** ms to prefill `r`'s agent context again on `ms` when the model does not hold it cached */
export function reprefillMs(ms: ModelState, r: SchedRequest): number {
  return ms.cached.has(r.agentId) ? 0 : r.contextTokens / ms.prefillPerMs;
}

/** tokens of agent contexts an eviction of `ms` throws away */
export function cachedTokens(ms: ModelState): number {
  let t = 0;
  for (const v of ms.cached.values()) t += v;
  return t;
}
