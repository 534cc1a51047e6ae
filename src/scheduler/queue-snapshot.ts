// What /admin/queue and the Ollama face's /api/ps show: per server, the resident models, the load
// under way, the current exclusive visit, the queue in order with each request's wait, and what runs.
import type { QueueSnapshot } from './scheduler-port.ts';
import { effectiveWaitMs } from './policies/effective-wait-target.ts';
import type { SchedulerState } from './scheduler-state.ts';

/** `now` in ms of the scheduler's clock (the waits are measured against it) */
export function queueSnapshot(policy: string, state: SchedulerState, now: number): QueueSnapshot {
  return {
    policy,
    servers: state.servers.map((s) => {
      const queued = [...s.fifo, ...[...s.models.values()].flatMap((m) => m.queue)];
      return {
        name: s.name,
        resident: [...s.models.values()].filter((m) => m.phase === 'resident').map((m) => m.model),
        loading: s.pending?.kind === 'load' ? s.pending.model : undefined,
        exclusive: s.visit?.model,
        queued: queued.map((r, i) => ({
          requestId: r.id,
          model: r.model,
          agentId: r.agentId,
          waitedMs: now - r.arrivalMs,
          position: i + 1,
        })),
        inFlight: [...s.models.values()].flatMap((m) =>
          [...m.running.keys()].map((id) => ({
            requestId: id,
            model: m.model,
            agentId: state.requests.get(id)?.request.agentId,
          })),
        ),
        waitTarget:
          policy === 'gxa'
            ? {
                configuredSeconds: state.options.waitTargetMs / 1000,
                effectiveSeconds: Math.round(effectiveWaitMs(state, s, now)) / 1000,
              }
            : undefined,
      };
    }),
  };
}
