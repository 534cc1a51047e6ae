// B1: Ollama's own scheduler as read from server/sched.go (DESIGN.md "Ollama behaviour"): a fast
// path into loaded runners, a global FIFO with head-of-line blocking, victims chosen by choose()
// that unload only when their refCount reaches 0, and the idle keep-alive timer.
import type { Policy } from '../policy.ts';
import type { ModelState, SchedulerState, ServerState } from '../scheduler-state.ts';
import { loadedCount, usedGiB } from '../scheduler-state.ts';
import type { SchedAction } from '../scheduler-types.ts';
import { fillSlots, noteArrival, startLoad, startUnload } from './policy-helpers.ts';
import { baselineRoute } from './routing.ts';

const refCount = (ms: ModelState): number => ms.queue.length + ms.running.size;

export const ollamaPolicy: Policy = {
  name: 'ollama',
  route: (_state, r, candidates) => baselineRoute(r, candidates),
  enqueue(_state, server, r, now) {
    const ms = server.models.get(r.model)!;
    noteArrival(ms, now);
    if (ms.phase === 'resident' || ms.phase === 'loading') {
      // fast path, even into a runner marked for eviction or still loading (sched.go lists a
      // runner as loaded when its load starts): this is what starves the FIFO head
      ms.queue.push(r);
      ms.expiresAtMs = Infinity;
    } else server.fifo.push(r);
  },
  step(state, server, now, actions) {
    for (const ms of server.models.values()) fillSlots(state, server, ms, now, actions);
    if (!server.pending) expireIdle(state, server, now, actions);
    serveHead(state, server, now, actions);
  },
};

function expireIdle(state: SchedulerState, server: ServerState, now: number, actions: SchedAction[]): void {
  for (const ms of server.models.values()) {
    if (ms.phase !== 'resident' || refCount(ms) > 0) continue;
    if (ms.victim || ms.expiresAtMs <= now) {
      startUnload(server, ms, actions);
      return;
    }
    if (ms.expiresAtMs === Infinity) {
      ms.expiresAtMs = now + state.options.keepAliveMs;
      actions.push({ type: 'timer', atMs: ms.expiresAtMs });
    }
  }
}

function serveHead(state: SchedulerState, server: ServerState, now: number, actions: SchedAction[]): void {
  while (!server.pending && server.fifo.length > 0) {
    const head = server.fifo[0]!;
    const ms = server.models.get(head.model)!;
    if (ms.phase === 'resident') {
      server.fifo.shift();
      ms.queue.push(head);
      ms.expiresAtMs = Infinity;
      fillSlots(state, server, ms, now, actions);
      continue;
    }
    if (ms.phase !== 'absent' || server.victimFor !== undefined) return;
    const n = loadedCount(server);
    if (n === 0 || (n < server.maxLoaded && ms.memoryGiB <= 0.8 * (server.memoryGiB - usedGiB(server)))) {
      // the head is admitted to the runner as its load starts, ahead of fast-path calls
      server.fifo.shift();
      ms.queue.push(head);
      startLoad(server, ms, actions);
      return;
    }
    const victim = choose(server);
    if (!victim) return;
    victim.victim = true;
    server.victimFor = victim.model;
    if (refCount(victim) === 0) startUnload(server, victim, actions);
    return;
  }
}

/** loaded runners by keep-alive ascending (victims first), then name; the first idle one, else the first */
function choose(server: ServerState): ModelState | undefined {
  const loaded = [...server.models.values()].filter((m) => m.phase === 'resident');
  loaded.sort(
    (a, b) => Number(b.victim) - Number(a.victim) || (a.model < b.model ? -1 : a.model > b.model ? 1 : 0),
  );
  return loaded.find((m) => refCount(m) === 0) ?? loaded[0];
}
