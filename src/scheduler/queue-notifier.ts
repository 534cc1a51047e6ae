// Tells queued callers their place: position, predicted wait and whether their model is loading,
// once when queued and again whenever one of those changes (the gateway turns it into keep-alive
// "waiting" events for clients).
import type { QueueInfo, SubmitRequest } from './scheduler-port.ts';
import type { SchedulerState } from './scheduler-state.ts';

export class QueueNotifier {
  private readonly last = new Map<string, string>();

  /** calls onQueued of every queued request in `pending` whose info changed */
  notify(state: SchedulerState, pending: ReadonlyMap<string, { request: SubmitRequest }>, now: number): void {
    for (const [id, p] of pending) {
      const onQueued = p.request.onQueued;
      if (!onQueued) continue;
      const info = queueInfo(state, id, now);
      if (!info) continue;
      // eta moves with the clock; report it again only when position or loading changes
      const key = `${info.position}|${info.loading}`;
      if (this.last.get(id) === key) continue;
      this.last.set(id, key);
      onQueued(info);
    }
  }

  forget(id: string): void {
    this.last.delete(id);
  }
}

export function queueInfo(state: SchedulerState, id: string, now: number): QueueInfo | undefined {
  const rec = state.requests.get(id);
  if (!rec || rec.status !== 'queued') return undefined;
  const s = state.byName.get(rec.server)!;
  const ms = s.models.get(rec.request.model)!;
  let position = 0;
  let ahead = 0;
  for (const r of [...s.fifo, ...ms.queue]) {
    position++;
    if (r.id === id) break;
    ahead += r.serviceMs;
  }
  // running work anywhere on the server, and the queues of resident models, come first
  let drain = 0;
  for (const m of s.models.values()) {
    for (const end of m.running.values()) drain = Math.max(drain, end - now);
    if (m !== ms && m.phase === 'resident') for (const r of m.queue) ahead += r.serviceMs;
  }
  const load = ms.phase === 'resident' ? 0 : ms.loadMs;
  return {
    position,
    etaMs: Math.max(0, Math.round(drain + ahead / s.parallel + load)),
    loading: ms.phase === 'loading',
  };
}
