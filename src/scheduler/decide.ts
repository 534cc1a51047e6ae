// decide(state, event, now) -> { state, actions }: the shared bookkeeping of every event, then the
// policy's step on every server. Deterministic: equal state, event and time give equal actions.
import { setBounded } from '../lib/bounded-map.ts';
import type { Policy } from './policy.ts';
import { reconcileResidency } from './reconcile-residency.ts';
import { isRejection } from './policy.ts';
import { noteTime, queuedCount, removeFrom } from './policies/policy-helpers.ts';
import {
  MAX_REMEMBERED_AGENTS,
  type ModelState,
  type SchedulerState,
  type ServerState,
} from './scheduler-state.ts';
import type { LoadFailure, SchedAction, SchedEvent, SchedRequest } from './scheduler-types.ts';

export interface Decision {
  state: SchedulerState;
  actions: SchedAction[];
}

/** how long an agent between two turns keeps its model "in use" when no hint says otherwise, ms */
export const AGENT_RETURN_MS = 30_000;

/** how long a model counts as in use after a call whose hints say the agent moves on, ms */
export const SETTLE_MS = 1000;

export function decide(policy: Policy, state: SchedulerState, event: SchedEvent, now: number): Decision {
  const actions: SchedAction[] = [];
  // Only the server an event touches can change (ticks touch all): stepping just that one keeps
  // the simulator fast; time-based conditions come back as timers and ticks.
  let s: ServerState | undefined;
  switch (event.type) {
    case 'arrival':
      s = arrive(policy, state, event.request, now, actions);
      break;
    case 'completion':
      s = complete(state, event.requestId, now);
      break;
    case 'load-done':
      s = state.byName.get(event.server);
      loaded(state, event, now, actions);
      break;
    case 'unload-done':
      s = state.byName.get(event.server);
      unloaded(state, event.server, event.model);
      break;
    case 'residency':
      s = state.byName.get(event.server);
      if (s) reconcileResidency(s, event.models, now);
      break;
    case 'cancel':
      s = cancel(state, event.requestId);
      break;
    case 'tick':
      for (const server of state.servers) step(policy, state, server, now, actions);
      return { state, actions };
  }
  if (s) step(policy, state, s, now, actions);
  return { state, actions };
}

function step(
  policy: Policy,
  state: SchedulerState,
  s: ServerState,
  now: number,
  actions: SchedAction[],
): void {
  noteTime(s, now);
  policy.step(state, s, now, actions);
}

function arrive(
  policy: Policy,
  state: SchedulerState,
  r: SchedRequest,
  now: number,
  actions: SchedAction[],
): ServerState | undefined {
  // returns the server to step: the one the request joined (or, for a duplicate id, the one
  // holding the known request); undefined when it was refused
  const existing = state.requests.get(r.id);
  if (existing) {
    actions.push({
      type: 'reject',
      requestId: r.id,
      code: 'unschedulable',
      message: `request id ${r.id} is already known`,
    });
    return state.byName.get(existing.server);
  }
  const names = state.modelServers.get(r.model);
  if (names === undefined) {
    const known = [...state.modelServers.keys()].join(', ');
    const servers = state.servers.map((s) => s.name).join(', ');
    actions.push({
      type: 'reject',
      requestId: r.id,
      code: 'unschedulable',
      message: `unknown model ${r.model}: no server holds it (servers: ${servers}; local models: ${known})`,
    });
    return;
  }
  if (names.length === 0) {
    actions.push({ type: 'reject', requestId: r.id, code: 'unschedulable', message: tooBig(state, r.model) });
    return;
  }
  const candidates = state.modelCandidates.get(r.model)!;
  const chosen = policy.route(state, r, candidates, now);
  if (isRejection(chosen)) {
    actions.push({
      type: 'reject',
      requestId: r.id,
      code: chosen.reject,
      message: chosen.message,
      retryAfterSeconds: chosen.retryAfterSeconds,
    });
    return;
  }
  if (queuedCount(chosen) >= chosen.queueMax) {
    actions.push({
      type: 'reject',
      requestId: r.id,
      code: 'overloaded',
      message: `server ${chosen.name} is busy: ${chosen.queueMax} requests queued`,
      retryAfterSeconds: 5,
    });
    return;
  }
  state.requests.set(r.id, { request: r, server: chosen.name, status: 'queued' });
  chosen.queuedWorkMs += r.serviceMs;
  if (!r.anonymous) {
    setBounded(state.home, r.agentId, chosen.name, MAX_REMEMBERED_AGENTS);
    chosen.models.get(r.model)!.returning.delete(r.agentId);
  }
  policy.enqueue(state, chosen, r, now);
  return chosen;
}

function tooBig(state: SchedulerState, model: string): string {
  const parts: string[] = [];
  for (const s of state.servers) {
    const ms = s.models.get(model);
    if (ms) parts.push(`${s.name} has ${round(s.memoryGiB)} GiB, the model needs ${round(ms.memoryGiB)} GiB`);
  }
  return `model ${model} fits no server: ${parts.join('; ')}`;
}

const round = (n: number): number => Math.round(n * 10) / 10;

/** returns the server of a known request (stepped even when the completion is stale) */
function complete(state: SchedulerState, id: string, now: number): ServerState | undefined {
  const rec = state.requests.get(id);
  if (!rec) return undefined;
  const s = state.byName.get(rec.server)!;
  noteTime(s, now);
  if (rec.status !== 'running') return s;
  const ms = s.models.get(rec.request.model)!;
  ms.running.delete(id);
  ms.gateOpen.delete(id);
  state.requests.delete(id);
  // the agent's next call (or its successors' first calls) usually follows within moments: keep the
  // model "in use" for that long so a swap never lands between two turns of a running agent
  for (const [agent, until] of ms.returning) if (until <= now) ms.returning.delete(agent);
  if (rec.request.anonymous) return s;
  const hint = rec.request.upcomingModels;
  const back = hint === undefined || hint[0] === ms.model ? AGENT_RETURN_MS : SETTLE_MS;
  ms.returning.set(rec.request.agentId, now + back);
  return s;
}

function loaded(
  state: SchedulerState,
  event: Extract<SchedEvent, { type: 'load-done' }>,
  now: number,
  actions: SchedAction[],
): void {
  const { server: sn, model } = event;
  const s = state.byName.get(sn);
  const ms = s?.models.get(model);
  if (!s || !ms || ms.phase !== 'loading') return;
  s.pending = undefined;
  if (!event.ok) {
    ms.phase = 'absent';
    failQueued(state, s, ms, actions, event.failure);
    return;
  }
  ms.phase = 'resident';
  ms.loadedAtMs = now;
  ms.cached.clear();
  ms.gateOpen = new Set(ms.queue.map((r) => r.id));
  for (const r of s.fifo) if (r.model === model) ms.gateOpen.add(r.id);
  s.visit = { model, startMs: now };
  s.lastSwapMs = now;
}

function failQueued(
  state: SchedulerState,
  s: ServerState,
  ms: ModelState,
  actions: SchedAction[],
  failure: LoadFailure | undefined,
): void {
  const failed = [...ms.queue, ...s.fifo.filter((r) => r.model === ms.model)];
  ms.queue = [];
  s.fifo = s.fifo.filter((r) => r.model !== ms.model);
  for (const r of failed) {
    s.queuedWorkMs -= r.serviceMs;
    state.requests.delete(r.id);
    actions.push({
      type: 'reject',
      requestId: r.id,
      code: failure?.code ?? 'load_failed',
      message: `loading ${ms.model} on ${s.name} failed${failure ? `: ${failure.message}` : ''}`,
    });
  }
}

function unloaded(state: SchedulerState, sn: string, model: string): void {
  const s = state.byName.get(sn);
  const ms = s?.models.get(model);
  if (!s || !ms || ms.phase !== 'unloading') return;
  s.pending = undefined;
  ms.phase = 'absent';
  ms.cached.clear();
  ms.returning.clear();
  ms.gateClosed = false;
  ms.gateOpen.clear();
  ms.victim = false;
  ms.expiresAtMs = Infinity;
  if (s.victimFor === model) s.victimFor = undefined;
  if (s.visit?.model === model) s.visit = undefined;
}

/** returns the server of a known request (stepped even when it was running already) */
function cancel(state: SchedulerState, id: string): ServerState | undefined {
  const rec = state.requests.get(id);
  if (!rec) return undefined;
  const s = state.byName.get(rec.server)!;
  if (rec.status !== 'queued') return s;
  const ms = s.models.get(rec.request.model)!;
  if (!removeFrom(ms.queue, id)) removeFrom(s.fifo, id);
  s.queuedWorkMs -= rec.request.serviceMs;
  ms.gateOpen.delete(id);
  state.requests.delete(id);
  return s;
}
