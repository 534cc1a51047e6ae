// What /admin/queue, the Ollama face's /api/ps and the dashboard show: per server, its memory and
// the models taking it (with keep-alive expiry), the load under way, the current exclusive visit,
// the swap it has committed to, the queue in order with each request's wait, and what runs.
import type { QueueSnapshot, ServerSnapshot } from './scheduler-port.ts';
import { effectiveWaitMs } from './policies/effective-wait-target.ts';
import { usedGiB, type ServerState, type SchedulerState } from './scheduler-state.ts';

/** `now` in ms of the scheduler's clock (the waits are measured against it); `aliasOf` names the
 * public alias a request was sent to, when the caller knows it */
export function queueSnapshot(
  policy: string,
  state: SchedulerState,
  now: number,
  aliasOf: (requestId: string) => string | undefined = () => undefined,
): QueueSnapshot {
  return {
    policy,
    waitTargetMs: state.options.waitTargetMs,
    atMs: now,
    servers: state.servers.map((s) => serverSnapshot(policy, state, s, now, aliasOf)),
  };
}

function serverSnapshot(
  policy: string,
  state: SchedulerState,
  s: ServerState,
  now: number,
  aliasOf: (requestId: string) => string | undefined,
): ServerSnapshot {
  const queued = [...s.fifo, ...[...s.models.values()].flatMap((m) => m.queue)];
  const held = [...s.models.values()].filter((m) => m.phase !== 'absent');
  const queuedOf = (model: string): number => queued.filter((r) => r.model === model).length;
  const nextSwap = committedSwap(s);
  return {
    name: s.name,
    resident: held.filter((m) => m.phase === 'resident').map((m) => m.model),
    loading: s.pending?.kind === 'load' ? s.pending.model : undefined,
    exclusive: s.visit?.model,
    memoryGiB: s.memoryGiB,
    usedGiB: usedGiB(s),
    models: held.map((m) => ({
      model: m.model,
      phase: m.phase as 'loading' | 'resident' | 'unloading',
      memoryGiB: m.memoryGiB,
      ...(Number.isFinite(m.expiresAtMs) ? { expiresAtMs: m.expiresAtMs } : {}),
      ...(m.phase === 'resident' && m.loadedAtMs > 0 ? { loadedAtMs: m.loadedAtMs } : {}),
      running: m.running.size,
      queued: queuedOf(m.model),
    })),
    ...(s.visit ? { visit: { model: s.visit.model, sinceMs: s.visit.startMs } } : {}),
    ...(nextSwap ? { nextSwap } : {}),
    queued: queued.map((r, i) => ({
      requestId: r.id,
      model: r.model,
      alias: aliasOf(r.id),
      agentId: r.agentId,
      waitedMs: now - r.arrivalMs,
      position: i + 1,
    })),
    inFlight: [...s.models.values()].flatMap((m) =>
      [...m.running.keys()].map((id) => ({
        requestId: id,
        model: m.model,
        alias: aliasOf(id),
        agentId: state.requests.get(id)?.request.agentId,
      })),
    ),
    ...(policy === 'gxa'
      ? {
          waitTarget: {
            configuredSeconds: state.options.waitTargetMs / 1000,
            effectiveSeconds: Math.round(effectiveWaitMs(state, s, now)) / 1000,
          },
        }
      : {}),
  };
}

/**
 * The swap under way: a load (the last stage), an unload, or victims draining toward a committed
 * target (GXA's swapTarget, Ollama's victim for the head of its FIFO). Nothing when none is decided.
 */
function committedSwap(s: ServerState): ServerSnapshot['nextSwap'] {
  const victims = [...s.models.values()]
    .filter((m) => m.phase !== 'absent' && (m.gateClosed || m.victim))
    .map((m) => m.model);
  const target = s.swapTarget ?? (s.victimFor !== undefined ? s.fifo[0]?.model : undefined);
  if (s.pending?.kind === 'load') return { load: s.pending.model, evict: [], stage: 'loading' };
  if (s.pending?.kind === 'unload')
    return {
      ...(target !== undefined ? { load: target } : {}),
      evict: [...new Set([s.pending.model, ...victims])],
      stage: 'unloading',
    };
  if (target === undefined) return undefined;
  return { load: target, evict: victims, stage: 'draining' };
}
