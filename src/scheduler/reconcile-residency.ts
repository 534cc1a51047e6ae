// What a server says it holds (/api/ps) replaces the scheduler's belief about an idle model. Used
// after a load or unload failed: a server that was unreachable may still hold the model the
// scheduler counted as unloaded (Ollama keeps a pinned model loaded through an outage), or may
// have lost one it counted as resident, and a wrong belief either overfills its memory or wastes it.
import type { ServerState } from './scheduler-state.ts';

/** corrects `s` from the models the server reports loaded; a model in use or in transition keeps its state */
export function reconcileResidency(s: ServerState, loaded: readonly string[], now: number): void {
  // a load or unload under way settles its own model, and the memory it frees or takes
  if (s.pending) return;
  const listed = new Set(loaded);
  for (const ms of s.models.values()) {
    if (ms.phase === 'absent' && listed.has(ms.model)) {
      ms.phase = 'resident';
      ms.loadedAtMs = now;
      ms.gateOpen = new Set();
      ms.gateClosed = false;
      // the server's KV caches are unknown: assume none, so no agent is priced as cached
      ms.cached.clear();
    } else if (ms.phase === 'resident' && !listed.has(ms.model) && ms.running.size === 0) {
      ms.phase = 'absent';
      ms.gateClosed = false;
      ms.cached.clear();
    }
  }
}
