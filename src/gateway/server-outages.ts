// Local servers that stopped answering. A request that cannot reach a server marks it down; from
// then on it is probed (/api/version and /api/ps, never a completion) every health interval, and
// the first probe that answers makes it usable again. While it stays down the chain skips it with
// the reason and the time of the next check, instead of sending every request to a dead socket.
// The interval does not grow: a probe is two cheap calls, and a server that returns must be used
// again within one interval, however long it was away.
import type { Clock } from '../lib/clock.ts';

/** true when `server` answers; rejects or resolves false when it does not */
export type ServerProbe = (server: string, signal: AbortSignal) => Promise<boolean>;

export interface Outage {
  /** clock ms when the first failure was seen */
  since: number;
  /** why it counts as down (the first failure's message: later ones are its consequences) */
  reason: string;
  /** clock ms of the next probe */
  nextCheckAt: number;
}

export interface ServerOutagesOptions {
  clock: Clock;
  /** ms between probes of a server that is down (gateway.health.intervalSeconds) */
  intervalMs: number;
  /** without a probe a server counts as usable again one interval after its last failure */
  probe?: ServerProbe;
  /** a server that was down answers again */
  onRecovered?: (server: string, outage: Outage) => void;
}

export class ServerOutages {
  private readonly o: ServerOutagesOptions;
  private readonly down = new Map<string, Outage>();
  private readonly stop = new AbortController();

  constructor(o: ServerOutagesOptions) {
    this.o = o;
  }

  /** a request could not reach `server` */
  failed(server: string, reason: string): void {
    if (this.stop.signal.aborted) return;
    if (this.down.has(server)) return;
    const now = this.o.clock.now();
    this.down.set(server, { since: now, reason, nextCheckAt: now + this.o.intervalMs });
    void this.watch(server);
  }

  /** a request reached `server`: whatever a probe said, it answers */
  reached(server: string): void {
    const outage = this.down.get(server);
    if (!outage) return;
    this.down.delete(server);
    this.o.onRecovered?.(server, outage);
  }

  /** the outage of `server`, or undefined when it is usable */
  outage(server: string): Outage | undefined {
    return this.down.get(server);
  }

  /** "down since 12:01:03 UTC (connect ECONNREFUSED), next check in 2 s" */
  describe(server: string): string | undefined {
    const o = this.down.get(server);
    if (!o) return undefined;
    const next = Math.max(0, Math.ceil((o.nextCheckAt - this.o.clock.now()) / 1000));
    const since = new Date(o.since).toISOString().slice(11, 19);
    return `down since ${since} UTC (${o.reason}), next check in ${next} s`;
  }

  /** servers down right now */
  active(): string[] {
    return [...this.down.keys()];
  }

  close(): void {
    this.stop.abort();
    this.down.clear();
  }

  private async watch(server: string): Promise<void> {
    const signal = this.stop.signal;
    for (;;) {
      const outage = this.down.get(server);
      if (!outage) return;
      try {
        await this.o.clock.sleep(Math.max(0, outage.nextCheckAt - this.o.clock.now()), signal);
      } catch {
        return; // closed
      }
      if (this.down.get(server) !== outage) return; // a request reached it meanwhile
      const up = this.o.probe ? await this.o.probe(server, signal).catch(() => false) : true;
      if (signal.aborted || this.down.get(server) !== outage) return;
      if (up) return this.reached(server);
      outage.nextCheckAt = this.o.clock.now() + this.o.intervalMs;
    }
  }
}
