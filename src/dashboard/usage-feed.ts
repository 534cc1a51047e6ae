// The usage rows as they are recorded, for the dashboard: the store the gateway writes to is wrapped
// so every row reaches the listeners in the same turn (the writer thread commits it later), which
// is how the requests, queues and savings pages update live without reading the database per row.
import type { UsageRecord, UsageStore } from '../store/index.ts';

export interface UsageFeed {
  /** the store to hand to the gateway: writes go through to `store`, then to the listeners */
  readonly store: UsageStore;
  subscribe(listener: (row: UsageRecord) => void): () => void;
}

export function usageFeed(store: UsageStore, onError: (e: Error) => void = () => {}): UsageFeed {
  const listeners = new Set<(row: UsageRecord) => void>();
  const tapped: UsageStore = {
    record(row) {
      store.record(row);
      for (const l of listeners) {
        // a failing listener must not fail the request whose row it was told about
        try {
          l(row);
        } catch (e) {
          onError(e as Error);
        }
      }
    },
    committed: () => store.committed(),
    totals: (o) => store.totals(o),
    dailyTotals: (o) => store.dailyTotals(o),
    recent: (n) => store.recent(n),
    close: () => store.close(),
  };
  return {
    store: tapped,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
