// The fleet page's data: per local server its memory (used and free), the models taking it with
// keep-alive expiry, the current visit, the swap the scheduler has committed to, and the models
// that wait for a load (queued, not held). Pure: a snapshot of the scheduler in, plain JSON out.
import type { FleetConfig } from '../config/index.ts';
import type { QueueSnapshot, ServerSnapshot } from '../scheduler/scheduler-port.ts';

export interface FleetView {
  atMs: number;
  policy: string;
  waitTargetMs: number;
  servers: Array<
    Omit<ServerSnapshot, 'queued' | 'inFlight'> & {
      url: string;
      freeGiB: number;
      queued: number;
      inFlight: number;
      /** models with queued requests that are not loaded or loading, the longest waiting first */
      waitingFor: Array<{ model: string; queued: number; oldestWaitMs: number }>;
    }
  >;
  /** cloud servers of the fleet (not scheduled: they take every request at once) */
  cloud: Array<{ name: string; kind: string }>;
}

export function fleetView(fleet: FleetConfig, snap: QueueSnapshot): FleetView {
  return {
    atMs: snap.atMs,
    policy: snap.policy,
    waitTargetMs: snap.waitTargetMs,
    servers: snap.servers.map((s) => {
      const { queued, inFlight, ...rest } = s;
      const held = new Set(s.models.map((m) => m.model));
      const waiting = new Map<string, { model: string; queued: number; oldestWaitMs: number }>();
      for (const q of queued) {
        if (held.has(q.model)) continue;
        const w = waiting.get(q.model) ?? { model: q.model, queued: 0, oldestWaitMs: 0 };
        w.queued++;
        w.oldestWaitMs = Math.max(w.oldestWaitMs, q.waitedMs);
        waiting.set(q.model, w);
      }
      return {
        ...rest,
        url: fleet.servers.find((c) => c.name === s.name)?.url ?? '',
        freeGiB: Math.max(0, s.memoryGiB - s.usedGiB),
        queued: queued.length,
        inFlight: inFlight.length,
        waitingFor: [...waiting.values()].sort((a, b) => b.oldestWaitMs - a.oldestWaitMs),
      };
    }),
    cloud: fleet.servers.filter((s) => s.kind !== 'ollama').map((s) => ({ name: s.name, kind: s.kind })),
  };
}
