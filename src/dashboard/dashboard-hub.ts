// The dashboard's live state: it subscribes to the scheduler's state changes, the usage rows as they
// are recorded and the run source, and pushes what changed to every connected page as named events
// (`fleet`, `queues`, `requests`, `savings`, `runs`), at most once per `throttleMs` of the clock. A
// page gets the whole state (`state`) when it connects. Nothing is polled but the run store of
// other processes (see RunSource) and, while requests were counted in the last minute, the queue
// rates every few seconds so they fall back to zero.
import type { FleetConfig } from '../config/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { SchedulerPort } from '../scheduler/scheduler-port.ts';
import { savingsBaseline, type UsageRecord, type UsageStore } from '../store/index.ts';
import { fleetView, type FleetView } from './fleet-view.ts';
import { queuesView, type QueuesView } from './queue-view.ts';
import { RateWindow } from './rate-window.ts';
import { requestRow, type RequestRow } from './request-row.ts';
import type { RunSource, RunSummary } from './run-source.ts';
import { SavingsLedger, savingsSinceMs, type SavingsView } from './savings-ledger.ts';

/** the latest requests a page shows */
export const REQUESTS_SHOWN = 100;
const RATE_REFRESH_MS = 5000;

export interface DashboardState {
  fleet: FleetView;
  queues: QueuesView;
  requests: RequestRow[];
  savings: SavingsView;
  /** undefined when no run store is wired (the gateway alone) */
  runs?: RunSummary[];
}

export type Topic = keyof DashboardState;
export type HubMessage = { event: 'state'; data: DashboardState } | { event: Topic; data: unknown };

export interface DashboardHubOptions {
  fleet: FleetConfig;
  clock: Clock;
  scheduler: SchedulerPort;
  store?: UsageStore;
  usage?: { subscribe(listener: (row: UsageRecord) => void): () => void };
  runs?: RunSource;
  /** ms between two pushes of one topic (default 250) */
  throttleMs?: number;
}

export class DashboardHub {
  private readonly o: DashboardHubOptions;
  private readonly clients = new Set<(m: HubMessage) => void>();
  private readonly rates = new RateWindow();
  private readonly latest: RequestRow[];
  private ledger?: SavingsLedger;
  private readonly dirty = new Set<Topic>();
  private newRows: RequestRow[] = [];
  private cancelFlush?: () => void;
  private cancelRates?: () => void;
  private readonly unsubscribe: Array<() => void> = [];
  /** the run source is followed only while a page is connected: it polls the store to follow */
  private stopRuns?: () => void;

  constructor(o: DashboardHubOptions) {
    this.o = o;
    this.latest = (o.store?.recent(REQUESTS_SHOWN) ?? []).map(requestRow);
    const sub = o.scheduler.subscribe?.(() => this.mark('fleet', 'queues'));
    if (sub) this.unsubscribe.push(sub);
    if (o.usage) this.unsubscribe.push(o.usage.subscribe((row) => this.onRow(row)));
  }

  /** everything the pages show, now */
  state(): DashboardState {
    const snap = this.o.scheduler.snapshot();
    const now = this.o.clock.now();
    return {
      fleet: fleetView(this.o.fleet, snap),
      queues: queuesView(this.o.fleet, snap, this.rates.lastMinute(now)),
      requests: [...this.latest],
      savings: this.savings(),
      ...(this.o.runs ? { runs: this.o.runs.list() } : {}),
    };
  }

  /** registers a page; it gets the whole state at once, then the changes. Returns the disconnect. */
  connect(send: (m: HubMessage) => void): () => void {
    this.clients.add(send);
    if (this.o.runs && !this.stopRuns) this.stopRuns = this.o.runs.subscribe(() => this.mark('runs'));
    send({ event: 'state', data: this.state() });
    return () => {
      this.clients.delete(send);
      if (this.clients.size === 0) this.unfollowRuns();
    };
  }

  private unfollowRuns(): void {
    this.stopRuns?.();
    this.stopRuns = undefined;
  }

  get connected(): number {
    return this.clients.size;
  }

  close(): void {
    for (const u of this.unsubscribe.splice(0)) u();
    this.unfollowRuns();
    this.cancelFlush?.();
    this.cancelRates?.();
    this.clients.clear();
  }

  private onRow(row: UsageRecord): void {
    this.rates.add(row.alias ?? row.model ?? '(none)', row.status, this.o.clock.now());
    this.ledger?.add(row);
    const r = requestRow(row);
    this.latest.unshift(r);
    if (this.latest.length > REQUESTS_SHOWN) this.latest.pop();
    if (this.clients.size > 0) this.newRows.push(r);
    this.mark('requests', 'queues', 'savings');
  }

  private savings(): SavingsView {
    const now = this.o.clock.now();
    // loaded on first use: a gateway nobody watches never runs the GROUP BY
    this.ledger ??= new SavingsLedger(
      this.o.store?.dailyTotals({ sinceMs: savingsSinceMs(now), by: 'key' }) ?? [],
    );
    return this.ledger.view(savingsBaseline(this.o.fleet), now);
  }

  private mark(...topics: Topic[]): void {
    if (this.clients.size === 0) return;
    for (const t of topics) this.dirty.add(t);
    this.cancelFlush ??= this.o.clock.timer(this.o.throttleMs ?? 250, () => this.flush());
  }

  private flush(): void {
    this.cancelFlush = undefined;
    const topics = [...this.dirty];
    this.dirty.clear();
    if (this.clients.size === 0) return;
    const snap =
      topics.includes('fleet') || topics.includes('queues') ? this.o.scheduler.snapshot() : undefined;
    for (const t of topics) {
      const data = this.topic(t, snap);
      if (data !== undefined) for (const send of this.clients) send({ event: t, data });
    }
    this.armRates();
  }

  private topic(t: Topic, snap: ReturnType<SchedulerPort['snapshot']> | undefined): unknown {
    const s = snap ?? this.o.scheduler.snapshot();
    switch (t) {
      case 'fleet':
        return fleetView(this.o.fleet, s);
      case 'queues':
        return queuesView(this.o.fleet, s, this.rates.lastMinute(this.o.clock.now()));
      case 'requests': {
        // only the rows recorded since the last push, newest first
        const rows = this.newRows.reverse();
        this.newRows = [];
        return rows.length > 0 ? rows : undefined;
      }
      case 'savings':
        return this.savings();
      case 'runs':
        return this.o.runs?.list();
    }
  }

  /** the per-minute counts fall as time passes without requests: push them again until they are 0 */
  private armRates(): void {
    if (this.cancelRates || this.rates.lastMinute(this.o.clock.now()).size === 0) return;
    this.cancelRates = this.o.clock.timer(RATE_REFRESH_MS, () => {
      this.cancelRates = undefined;
      this.mark('queues');
    });
  }
}
