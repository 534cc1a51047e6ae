// GXA, gated exhaustive with an aging trigger (DESIGN.md "Online policy: GXA", rules 1-7), and B4
// (exhaustive) as the same machinery without the trigger: leave a model only when it is idle.
import type { Policy } from '../policy.ts';
import type { ModelState, SchedulerState, ServerState } from '../scheduler-state.ts';
import { fitsNow } from '../scheduler-state.ts';
import type { SchedAction } from '../scheduler-types.ts';
import { chooseVictims } from './eviction.ts';
import {
  drainMs,
  enqueue,
  fillSlots,
  noteArrival,
  reprefillMs,
  rhoOf,
  startLoad,
  startUnload,
} from './policy-helpers.ts';
import { effectiveWaitMs } from './effective-wait-target.ts';
import { etaRoute } from './routing.ts';

const HARD_SLACK_MS = 1000;

export type GxaMode = 'gxa' | 'exhaustive';

export function createGxaPolicy(mode: GxaMode): Policy {
  return {
    name: mode,
    route(state, r, candidates, now) {
      const { server, waitMs: wait } = etaRoute(state, r, candidates, now);
      if (mode === 'exhaustive') return server;
      const o = state.options;
      const cap = o.hard ? Math.min(o.admissionCapMs, o.waitTargetMs) : o.admissionCapMs;
      // rule 6 as written: the load counts too (a cap below a model's load time refuses it always)
      if (wait <= cap || !Number.isFinite(wait)) return server;
      const retryAfterSeconds = Math.ceil((wait - cap) / 1000);
      return {
        reject: 'rate_limited',
        message: `predicted wait ${Math.round(wait / 1000)} s on ${server.name} exceeds the cap of ${Math.round(cap / 1000)} s`,
        retryAfterSeconds,
      };
    },
    enqueue(_state, server, r, now) {
      const ms = server.models.get(r.model)!;
      noteArrival(ms, now);
      enqueue(ms.queue, r);
    },
    step(state, server, now, actions) {
      // the swap decision comes before rule 1 so a victim takes no new work past its trigger
      if (!server.pending && server.swapTarget === undefined) planSwap(state, server, mode, now, actions);
      // rule 1: work-conserving inside the resident set
      for (const ms of server.models.values()) if (!ms.gateClosed) fillSlots(state, server, ms, now, actions);
      if (!server.pending && server.swapTarget !== undefined) continueSwap(server, actions);
    },
  };
}

function planSwap(
  state: SchedulerState,
  server: ServerState,
  mode: GxaMode,
  now: number,
  actions: SchedAction[],
): void {
  const next = chooseNext(state, server, mode, now);
  if (!next) return;
  if (fitsNow(server, next)) {
    server.cursor = indexOf(server, next);
    return startLoad(server, next, actions);
  }
  // exhaustive: any idle model may go. GXA: rule 4 ranks every resident model (never evicting one
  // whose gate is open, so it waits for that gate), except that a gate holding more than W_target
  // of work yields to victims whose gates are served: on T4, waiting out six long calls of one
  // group while the other group's gate was served left a trickle call 29 minutes behind.
  const victims =
    mode === 'exhaustive'
      ? chooseVictims(server, next, now, (m) => isIdle(m, now))
      : gxaVictims(state, server, next, now);
  if (!victims) return wakeForIdle(server, now, actions);
  if (mode === 'gxa' && !state.options.hard && victims.some((v) => v.gateOpen.size > 0 && !isIdle(v, now)))
    return;
  if (mode === 'gxa' && !mayLeave(state, server, victims, next, now, actions)) return;
  server.swapTarget = next.model;
  server.cursor = indexOf(server, next);
  for (const v of victims) {
    v.gateClosed = true;
    actions.push({ type: 'close-gate', server: server.name, model: v.model });
  }
}

function gxaVictims(
  state: SchedulerState,
  server: ServerState,
  next: ModelState,
  now: number,
): ModelState[] | undefined {
  const best = chooseVictims(server, next, now, () => true);
  const w = effectiveWaitMs(state, server, now);
  if (!best?.some((v) => gateWorkMs(server, v, now) > w)) return best;
  return chooseVictims(server, next, now, (m) => m.gateOpen.size === 0 || isIdle(m, now)) ?? best;
}

/** predicted ms until the model's open gate is served: its drain, then the gated calls over its slots */
function gateWorkMs(server: ServerState, ms: ModelState, now: number): number {
  if (ms.gateOpen.size === 0) return 0;
  let queued = 0;
  // a call whose agent's context is not cached here (the model was just reloaded) prefills it again
  for (const r of ms.queue) if (ms.gateOpen.has(r.id)) queued += r.serviceMs + reprefillMs(ms, r);
  return drainMs(ms, now) + queued / server.parallel;
}

/** queue empty, nothing running and no agent between two turns (swap at task boundaries only) */
function isIdle(ms: ModelState, now: number): boolean {
  if (ms.queue.length > 0 || ms.running.size > 0) return false;
  for (const [agent, until] of ms.returning) {
    if (until > now) return false;
    ms.returning.delete(agent);
  }
  return true;
}

function wakeForIdle(server: ServerState, now: number, actions: SchedAction[]): void {
  let at = Infinity;
  for (const ms of server.models.values())
    for (const until of ms.returning.values()) if (until > now && until < at) at = until;
  if (at < Infinity) actions.push({ type: 'timer', atMs: at });
}

function continueSwap(server: ServerState, actions: SchedAction[]): void {
  const target = server.models.get(server.swapTarget!)!;
  if (target.queue.length === 0) {
    // the work that justified the swap is gone (cancelled): reopen the gates
    server.swapTarget = undefined;
    for (const ms of server.models.values()) ms.gateClosed = false;
    return;
  }
  if (fitsNow(server, target)) {
    // victims not needed after all (memory freed by the others) take work again
    server.swapTarget = undefined;
    for (const ms of server.models.values()) if (ms.phase === 'resident') ms.gateClosed = false;
    return startLoad(server, target, actions);
  }
  for (const ms of server.models.values())
    if (ms.gateClosed && ms.phase === 'resident' && ms.running.size === 0)
      return startUnload(server, ms, actions);
}

function oldestArrival(ms: ModelState): number {
  let t = Infinity;
  for (const r of ms.queue) if (r.arrivalMs < t) t = r.arrivalMs;
  return t;
}

/** rule 3: EDF among heads past their target, else the smallest Smith ratio; exhaustive: cyclic */
function chooseNext(
  state: SchedulerState,
  server: ServerState,
  mode: GxaMode,
  now: number,
): ModelState | undefined {
  // allocation-free: this runs after every event on every server
  let any = false;
  for (const m of server.models.values()) if (m.phase === 'absent' && m.queue.length > 0) any = true;
  if (!any) return undefined;
  if (mode === 'exhaustive') {
    const all = [...server.models.values()];
    for (let k = 1; k <= all.length; k++) {
      const m = all[(server.cursor + k) % all.length]!;
      if (m.phase === 'absent' && m.queue.length > 0) return m;
    }
  }
  const w = effectiveWaitMs(state, server, now);
  // hard mode times its swap for the model it picks: that must be the nearest deadline, or a model
  // winning the Smith ratio let an older call of a third model pass W_target unnoticed
  if (state.options.hard) return nearestDeadline(server, w);
  let edf: ModelState | undefined;
  let edfAt = Infinity;
  for (const m of server.models.values()) {
    if (m.phase !== 'absent' || m.queue.length === 0) continue;
    const at = oldestArrival(m);
    if (now >= at + w && at < edfAt) {
      edf = m;
      edfAt = at;
    }
  }
  if (edf) return edf;
  let best: ModelState | undefined;
  let bestRatio = Infinity;
  for (const m of server.models.values()) {
    if (m.phase !== 'absent' || m.queue.length === 0) continue;
    let work = m.loadMs;
    let weight = 0;
    for (const r of m.queue) {
      work += r.serviceMs;
      weight += 1 + (state.options.agingWeight * (now - r.arrivalMs)) / w;
    }
    const ratio = work / weight;
    if (ratio < bestRatio) {
      best = m;
      bestRatio = ratio;
    }
  }
  return best;
}

/** the waiting model whose queued calls must start first (hard mode's deadline order) */
function nearestDeadline(server: ServerState, w: number): ModelState | undefined {
  let best: ModelState | undefined;
  let bestAt = Infinity;
  for (const m of server.models.values()) {
    if (m.phase !== 'absent' || m.queue.length === 0) continue;
    const at = latestStartBase(m, server.parallel, w);
    if (at < bestAt) {
      best = m;
      bestAt = at;
    }
  }
  return best;
}

/** D_min = max(2L, L*rho/(1-rho)) with L the mean load time of the server's models */
export function minVisitMs(state: SchedulerState, server: ServerState): number {
  if (state.options.minVisitMs !== undefined) return state.options.minVisitMs;
  // fixed for the visit: a D_min that grew with the running rho estimate would recede forever
  if (server.minVisit?.since === server.lastSwapMs) return server.minVisit.ms;
  const ms = freshMinVisitMs(server);
  server.minVisit = { since: server.lastSwapMs, ms };
  return ms;
}

function freshMinVisitMs(server: ServerState): number {
  let sum = 0;
  for (const ms of server.models.values()) sum += ms.loadMs;
  const l = sum / Math.max(1, server.models.size);
  const rho = rhoOf(server);
  return Math.max(2 * l, (l * rho) / (1 - rho));
}

/** rules 2 and 7: may the server leave its victims for `next` now? If not, when to look again. */
function mayLeave(
  state: SchedulerState,
  server: ServerState,
  victims: readonly ModelState[],
  next: ModelState,
  now: number,
  actions: SchedAction[],
): boolean {
  const w = effectiveWaitMs(state, server, now);
  // soft: when the head's load must start; hard: the same for every waiting model in deadline order
  const loadBy = state.options.hard ? hardLoadBy(server, next, w) : oldestArrival(next) + w - next.loadMs;
  // the same form as the timer below (arrival + w): `now - arrival >= w` can round the other way,
  // and a timer set for `now` never fires, which left a call waiting forever
  const overdue = now >= oldestArrival(next) + w;
  const dmin = minVisitMs(state, server);
  const hard = state.options.hard;
  // leaving only idle models costs nobody a wait and keeps the server working: no D_min then
  if (victims.every((v) => isIdle(v, now))) return true;
  let blocked = false;
  let wakeAt = Infinity;
  if (!overdue && !hard && now < server.lastSwapMs + dmin) {
    blocked = true;
    // D_min ends, or the head's deadline passes (which lifts rule 7)
    wakeAt = Math.min(server.lastSwapMs + dmin, oldestArrival(next) + w);
  }
  for (const v of victims) {
    if (isIdle(v, now)) continue;
    // the drain if the victim takes its next request now (rule 1 would dispatch it); hard mode
    // keeps a second of slack for the unload and rounding
    const more = v.running.size < server.parallel && v.queue.length > 0 ? v.queue[0]!.serviceMs : 0;
    const trigger = loadBy - drainMs(v, now) - more - (hard ? HARD_SLACK_MS : 0);
    if (hard && now >= trigger) {
      // hard mode leaves the victim for the waiting model's deadline, but not while the victim
      // holds older calls (EDF): with every call overdue, each model was evicted the instant its
      // load finished, before serving anything, for the other one: swaps forever, no call served
      blocked ||= holdsOlderCalls(v, next);
      continue;
    }
    const visitedAt = v.loadedAtMs + dmin;
    if (v.gateOpen.size === 0 && now >= visitedAt && now >= trigger) continue;
    blocked = true;
    // Timers only for what time alone changes: the visit length, and the trigger while nothing of
    // the victim runs (with work running, the drain shrinks as fast as time passes, so the trigger
    // stays ahead: completions re-check it). An unserved gate is re-checked at its completions.
    const fixedTrigger = v.running.size === 0 ? trigger : -Infinity;
    const at = hard ? fixedTrigger : Math.max(fixedTrigger, visitedAt);
    if (at > now) wakeAt = Math.min(wakeAt, at);
    for (const until of v.returning.values()) if (until > now) wakeAt = Math.min(wakeAt, until);
  }
  if (!blocked) return true;
  if (wakeAt < Infinity) actions.push({ type: 'timer', atMs: wakeAt });
  return false;
}

/**
 * hard mode: when `next`'s load must start so that it and then every other waiting model, visited
 * in deadline order (each loaded, then its queued calls served), start their calls within W: with
 * only `next` counted, a second model queued moments later missed its bound by a load and more
 */
function hardLoadBy(server: ServerState, next: ModelState, w: number): number {
  const others: ModelState[] = [];
  for (const m of server.models.values())
    if (m !== next && m.phase === 'absent' && m.queue.length > 0) others.push(m);
  others.sort((a, b) => latestStartBase(a, server.parallel, w) - latestStartBase(b, server.parallel, w));
  let by = Infinity;
  let ahead = 0;
  for (const m of [next, ...others]) {
    ahead += m.loadMs;
    by = Math.min(by, latestStartBase(m, server.parallel, w) + w - ahead);
    for (const r of m.queue) ahead += r.serviceMs / server.parallel;
  }
  return by;
}

/** the victim's oldest queued call arrived no later than the waiting model's (its deadline is as near) */
function holdsOlderCalls(victim: ModelState, next: ModelState): boolean {
  return victim.queue.length > 0 && oldestArrival(victim) <= oldestArrival(next);
}

/**
 * min over queued requests of (arrival + sum of the service queued ahead of it / slots): the
 * "head arrival" whose deadline binds when every request, not only the head, must meet W_target
 */
function latestStartBase(ms: ModelState, slots: number, w: number): number {
  let ahead = 0;
  let t = Infinity;
  for (const r of ms.queue) {
    t = Math.min(t, r.arrivalMs - ahead);
    ahead += r.serviceMs / slots;
  }
  return Number.isFinite(t) ? t : w;
}

function indexOf(server: ServerState, ms: ModelState): number {
  return [...server.models.values()].indexOf(ms);
}
