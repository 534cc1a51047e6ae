// B3: llama-swap's queue: requests for the loaded model go straight through (per-model concurrency
// 10 is forwarded to the server, whose own slots are the real limit), others wait in arrival order;
// the server swaps to the oldest waiting model only when the loaded one is idle. No wait bound.
import type { Policy } from '../policy.ts';
import { fillSlots, noteArrival, startLoad, startUnload } from './policy-helpers.ts';
import { baselineRoute } from './routing.ts';

export const llamaSwapFifoPolicy: Policy = {
  name: 'llama-swap-fifo',
  route: (_state, r, candidates) => baselineRoute(r, candidates),
  enqueue(_state, server, r, now) {
    const ms = server.models.get(r.model)!;
    noteArrival(ms, now);
    if (ms.phase === 'resident') ms.queue.push(r);
    else server.fifo.push(r);
  },
  step(state, server, now, actions) {
    for (const ms of server.models.values()) fillSlots(state, server, ms, now, actions);
    const head = server.fifo[0];
    if (!head || server.pending) return;
    const target = server.models.get(head.model)!;
    if (target.phase === 'resident') {
      server.fifo = server.fifo.filter((r) =>
        r.model === target.model ? (target.queue.push(r), false) : true,
      );
      fillSlots(state, server, target, now, actions);
      return;
    }
    for (const ms of server.models.values()) {
      if (ms === target || ms.phase === 'absent') continue;
      if (ms.phase === 'resident' && ms.queue.length === 0 && ms.running.size === 0)
        startUnload(server, ms, actions);
      return;
    }
    startLoad(server, target, actions);
  },
};
