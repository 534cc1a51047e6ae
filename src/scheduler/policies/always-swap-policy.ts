// B2: always-swap (llama-swap until mid-2026): one model at a time, requests in arrival order; a
// request for another model waits for the running ones to finish, then the server swaps.
import type { Policy } from '../policy.ts';
import { dispatch, noteArrival, startLoad, startUnload } from './policy-helpers.ts';
import { baselineRoute } from './routing.ts';

export const alwaysSwapPolicy: Policy = {
  name: 'always-swap',
  route: (_state, r, candidates) => baselineRoute(r, candidates),
  enqueue(_state, server, r, now) {
    noteArrival(server.models.get(r.model)!, now);
    server.fifo.push(r);
  },
  step(state, server, now, actions) {
    for (;;) {
      const head = server.fifo[0];
      if (!head) return;
      const target = server.models.get(head.model)!;
      if (target.phase === 'resident') {
        if (target.running.size >= server.parallel) return;
        dispatch(state, server, target, server.fifo.shift()!, now, actions);
        continue;
      }
      if (server.pending || target.phase !== 'absent') return;
      for (const ms of server.models.values()) {
        if (ms === target || ms.phase === 'absent') continue;
        if (ms.phase === 'resident' && ms.running.size === 0) startUnload(server, ms, actions);
        return;
      }
      startLoad(server, target, actions);
      return;
    }
  },
};
