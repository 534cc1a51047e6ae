// What a simulation run measures as it goes (waits, loads, re-prefill, busy time) and the
// metrics it turns into at the end.
import { jainIndex, waitStats, type SimMetrics } from './metrics.ts';

export class SimRecorder {
  readonly waits: number[] = [];
  loadMs = 0;
  readonly loadsByModel: Record<string, number> = {};
  reprefillTokens = 0;
  rejected = 0;
  lastEndMs = 0;
  private readonly waitsByModel = new Map<string, number[]>();
  private withinTarget = 0;
  private busyMs = 0;
  private readonly busy = new Map<string, { from: number; to: number }>();
  /** server -> model -> loads: each load starts a visit */
  private readonly visits: Record<string, Record<string, number>> = {};
  private readonly residentAtStart: Record<string, readonly string[]> = {};
  private readonly waitTargetMs: number;

  constructor(waitTargetMs: number, servers: ReadonlyArray<{ name: string; resident: readonly string[] }>) {
    this.waitTargetMs = waitTargetMs;
    for (const s of servers) this.residentAtStart[s.name] = s.resident;
  }

  load(server: string, model: string, ms: number): void {
    this.loadMs += ms;
    this.loadsByModel[model] = (this.loadsByModel[model] ?? 0) + 1;
    const v = (this.visits[server] ??= {});
    v[model] = (v[model] ?? 0) + 1;
  }

  /**
   * The fewest loads these visits need: a visit to a model that was not resident at the start
   * evicts a model that must be loaded back (two loads), unless nothing else ever needs the server
   * again; the first load of a model into free memory is one load.
   */
  private swapFloor(): number {
    let floor = 0;
    for (const [server, models] of Object.entries(this.visits)) {
      const start = this.residentAtStart[server] ?? [];
      const modelsVisited = Object.keys(models).length;
      for (const [model, n] of Object.entries(models)) {
        if (start.includes(model)) continue;
        // a server that only ever serves one model needs one load per visit
        floor += modelsVisited + start.length > 1 ? 2 * n : n;
      }
    }
    return floor;
  }

  wait(model: string, waitMs: number): void {
    this.waits.push(waitMs / 1000);
    let list = this.waitsByModel.get(model);
    if (!list) this.waitsByModel.set(model, (list = []));
    list.push(waitMs / 1000);
    if (waitMs <= this.waitTargetMs) this.withinTarget++;
  }

  /** server-busy time: the union of its calls' service intervals */
  busyUntil(server: string, now: number, end: number): void {
    const span = this.busy.get(server) ?? { from: now, to: now };
    if (now > span.to) {
      this.busyMs += span.to - span.from;
      span.from = now;
      span.to = now;
    }
    span.to = Math.max(span.to, end);
    this.busy.set(server, span);
  }

  /** `agents`: served and waited ms per agent, for Jain's index */
  metrics(
    servers: number,
    events: number,
    agents: ReadonlyArray<{ served: number; waiting: number }>,
  ): SimMetrics {
    const byModel: SimMetrics['waitByModel'] = {};
    for (const [m, w] of [...this.waitsByModel].sort((x, y) => (x[0] < y[0] ? -1 : 1)))
      byModel[m] = waitStats(w);
    for (const span of this.busy.values()) this.busyMs += span.to - span.from;
    this.busy.clear();
    const makespan = this.lastEndMs / 1000;
    const n = this.waits.length;
    const active = agents.filter((a) => a.served > 0);
    return {
      swaps: Object.values(this.loadsByModel).reduce((a, n) => a + n, 0),
      loadsByModel: { ...this.loadsByModel },
      visitsByModel: structuredClone(this.visits),
      swapFloor: this.swapFloor(),
      loadSeconds: this.loadMs / 1000,
      reprefillTokens: this.reprefillTokens,
      makespanSeconds: makespan,
      throughputPerMinute: makespan > 0 ? n / (makespan / 60) : 0,
      wait: waitStats(this.waits),
      waitByModel: byModel,
      jain: jainIndex(active.map((a) => a.served / (a.served + a.waiting))),
      withinTarget: n > 0 ? this.withinTarget / n : 1,
      calls: n,
      rejected: this.rejected,
      utilization: makespan > 0 ? this.busyMs / 1000 / (servers * makespan) : 0,
      events,
    };
  }
}
