// The queues page's data: per alias (or model asked for by name) the requests waiting and running,
// the oldest wait against the policy's wait bound, and requests served and refused in the last
// minute. Pure: the scheduler's snapshot and the rate window's counts in.
import type { FleetConfig } from '../config/index.ts';
import type { QueueSnapshot } from '../scheduler/scheduler-port.ts';
import type { RateCounts } from './rate-window.ts';

export interface QueueRow {
  /** the public name asked for: an alias, or a fleet model used by name */
  alias: string;
  /** the alias's models in fallback order ([] for a name the fleet does not define) */
  chain: string[];
  waiting: number;
  running: number;
  /** the longest wait of a queued request, ms (0 when none waits) */
  oldestWaitMs: number;
  /** the queued requests, longest waiting first: server, model, agent, wait */
  queued: Array<{ requestId: string; server: string; model: string; agentId?: string; waitedMs: number }>;
  servedPerMin: number;
  refusedPerMin: number;
}

export interface QueuesView {
  atMs: number;
  waitTargetMs: number;
  aliases: QueueRow[];
}

export function queuesView(
  fleet: FleetConfig,
  snap: QueueSnapshot,
  rates: ReadonlyMap<string, RateCounts>,
): QueuesView {
  const rows = new Map<string, QueueRow>();
  const row = (alias: string): QueueRow => {
    let r = rows.get(alias);
    if (!r) {
      const chain = fleet.aliases[alias] ?? (fleet.models.some((m) => m.name === alias) ? [alias] : []);
      r = {
        alias,
        chain: [...chain],
        waiting: 0,
        running: 0,
        oldestWaitMs: 0,
        queued: [],
        servedPerMin: 0,
        refusedPerMin: 0,
      };
      rows.set(alias, r);
    }
    return r;
  };
  for (const alias of Object.keys(fleet.aliases)) row(alias);
  for (const s of snap.servers) {
    for (const q of s.queued) {
      const r = row(q.alias ?? q.model);
      r.waiting++;
      r.oldestWaitMs = Math.max(r.oldestWaitMs, q.waitedMs);
      r.queued.push({
        requestId: q.requestId,
        server: s.name,
        model: q.model,
        ...(q.agentId !== undefined ? { agentId: q.agentId } : {}),
        waitedMs: q.waitedMs,
      });
    }
    for (const f of s.inFlight) row(f.alias ?? f.model).running++;
  }
  for (const [alias, c] of rates) {
    const r = row(alias);
    r.servedPerMin = c.served;
    r.refusedPerMin = c.refused;
  }
  for (const r of rows.values()) r.queued.sort((a, b) => b.waitedMs - a.waitedMs);
  return { atMs: snap.atMs, waitTargetMs: snap.waitTargetMs, aliases: [...rows.values()] };
}
