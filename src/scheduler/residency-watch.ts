// After a failed load or unload the scheduler no longer knows what a server holds. It asks the
// server (/api/ps through ModelServerControl.loaded), and while the server does not answer, asks
// again with backoff, a bounded number of times: the next load that fails starts a new round.
import type { Clock } from '../lib/clock.ts';
import type { ModelServerControl } from './scheduler-port.ts';

/** ms before each attempt: the first at once, then backing off (about 2.5 minutes in all) */
const DELAYS_MS = [0, 5_000, 10_000, 20_000, 40_000, 60_000];

export interface ResidencyWatchOptions {
  clock: Clock;
  control: ModelServerControl;
  /** the models `server` reports loaded */
  onLoaded: (server: string, models: string[]) => void;
}

export class ResidencyWatch {
  private readonly o: ResidencyWatchOptions;
  private readonly checking = new Set<string>();
  private readonly stop = new AbortController();

  constructor(o: ResidencyWatchOptions) {
    this.o = o;
  }

  /** asks `server` what it holds, unless a round for it is under way */
  check(server: string): void {
    if (this.stop.signal.aborted || this.checking.has(server)) return;
    this.checking.add(server);
    void this.round(server);
  }

  close(): void {
    this.stop.abort();
  }

  private async round(server: string): Promise<void> {
    const signal = this.stop.signal;
    try {
      for (const delay of DELAYS_MS) {
        if (delay > 0) await this.o.clock.sleep(delay, signal);
        if (signal.aborted) return;
        const models = await this.o.control.loaded(server, signal).catch(() => undefined);
        if (signal.aborted) return;
        if (models) return this.o.onLoaded(server, models);
      }
    } catch {
      // aborted while sleeping: the scheduler is closing
    } finally {
      this.checking.delete(server);
    }
  }
}
