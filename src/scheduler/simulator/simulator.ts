// Runs any policy over a trace on a virtual clock: an event heap, closed-loop agents (next call after
// the reply plus a tool delay), service times from the cost model, loads and unloads that take
// their modelled time. No real time anywhere; seeded, so a (policy, trace, seed) run repeats exactly.
import { AppError } from '../../core/errors/index.ts';
import {
  resolveModelCosts,
  serviceSeconds,
  type FleetCosts,
  type ModelCosts,
} from '../../cost/model-costs.ts';
import { logNormal } from '../../lib/random.ts';
import { decide } from '../decide.ts';
import type { Policy } from '../policy.ts';
import { createSchedulerState, type SchedulerState } from '../scheduler-state.ts';
import type { SchedAction, SchedEvent, SchedRequest } from '../scheduler-types.ts';
import { EventHeap } from './event-heap.ts';
import type { SimMetrics } from './metrics.ts';
import {
  agentEvent,
  createAgentRuns,
  dependentsOf,
  retryEvent,
  schedEvent,
  type AgentRun,
  type Call,
  type SimEvent,
} from './sim-agents.ts';
import { ContextCache } from './sim-cache.ts';
import { SimRecorder } from './sim-recorder.ts';
import type { Trace } from './trace.ts';

const TASK_CONTEXT_TOKENS = 6000;
const SIGMA = 0.6;
const TOOL_SIGMA = 0.8;
const MAX_EVENTS = 50_000_000;
/** simulated time allowed beyond the trace's horizon (or from the start for finite traces) */
const GRACE_MS = 7 * 24 * 3_600_000;

export interface SimResult extends SimMetrics {
  /** the final scheduler state (for invariant checks) */
  state: SchedulerState;
  /** every call's wait in seconds, in completion order */
  waits: number[];
}

export interface SimulateOptions {
  /** called after every decide() with the state (property tests check invariants here) */
  onDecision?: (state: SchedulerState, actions: readonly SchedAction[], now: number) => void;
}

export function simulate(policy: Policy, trace: Trace, seed: number, opts: SimulateOptions = {}): SimResult {
  return new Simulation(policy, trace, seed, opts).run();
}

/**
 * A simulation set up (costs resolved, state and agents built) but not run, so the speed benchmark
 * can time set-up, event loop and summary apart. Call runEvents() once, then result().
 */
export interface PreparedSimulation {
  /** runs the event loop to the end; returns the scheduling events (decide() calls) */
  runEvents(): number;
  /** the metrics of the finished run (sorts the waits: not part of the event loop) */
  result(): SimResult;
  /** runEvents() then result() */
  run(): SimResult;
}

export function prepareSimulation(
  policy: Policy,
  trace: Trace,
  seed: number,
  opts: SimulateOptions = {},
): PreparedSimulation {
  return new Simulation(policy, trace, seed, opts);
}

class Simulation {
  private readonly costs: FleetCosts;
  private readonly state: SchedulerState;
  private readonly heap = new EventHeap<SimEvent>();
  private readonly agents: AgentRun[];
  private readonly byId: Map<string, AgentRun>;
  private readonly dependents: Map<string, AgentRun[]>;
  /** calls not yet completed, by their number (ids are `c<number>`): array slots, not a Map */
  private readonly calls: Array<Call | undefined> = [];
  private openCalls = 0;
  /** where each agent's context is cached; also the costs per (server, model), resolved once */
  private readonly cache: ContextCache;
  /** model -> the costs on the first server that holds it (the prediction of a call's service) */
  private readonly anyCostsOf = new Map<string, ModelCosts>();
  private readonly ticks = new Set<number>();
  private readonly upcoming: string[] = [];
  private readonly rec: SimRecorder;
  private readonly endMs: number;
  private seq = 0;
  private now = 0;
  private events = 0;
  private callSeq = 0;

  private readonly policy: Policy;
  private readonly trace: Trace;
  private readonly opts: SimulateOptions;

  constructor(policy: Policy, trace: Trace, seed: number, opts: SimulateOptions) {
    this.policy = policy;
    this.trace = trace;
    this.opts = opts;
    this.rec = new SimRecorder(trace.options.waitTargetMs, trace.fleet.servers);
    this.endMs = (Number.isFinite(trace.horizonMs) ? trace.horizonMs : 0) + GRACE_MS;
    this.costs = resolveModelCosts(trace.fleet);
    const resident: Record<string, string[]> = {};
    for (const s of trace.fleet.servers) resident[s.name] = s.resident;
    this.state = createSchedulerState(policy.name, this.costs, trace.options, resident);
    this.agents = createAgentRuns(trace, seed);
    this.byId = new Map(this.agents.map((a) => [a.spec.id, a]));
    this.dependents = dependentsOf(trace, this.agents);
    this.cache = new ContextCache(this.costs, this.agents);
    for (const c of this.costs.models.values())
      if (!this.anyCostsOf.has(c.model)) this.anyCostsOf.set(c.model, c);
  }

  run(): SimResult {
    this.runEvents();
    return this.result();
  }

  runEvents(): number {
    for (const a of this.agents) {
      if (a.blockers > 0) continue;
      // on/off agents start somewhere in an off period, not all in one burst
      const off = a.spec.offMedianMs ? a.rng.next() * logNormal(a.rng, a.spec.offMedianMs, 1) : 0;
      this.push(agentEvent(a.spec.startMs + off, 'task', a));
    }
    this.refreshUpcoming();
    for (;;) {
      const ev = this.heap.pop();
      if (!ev) break;
      // a policy's timer left for work that has all been served (GXA's aging trigger of a long
      // W_target) ends nothing: the run is over
      if (
        ev.kind === 'sched' &&
        ev.event!.type === 'tick' &&
        this.openCalls === 0 &&
        this.agents.every((a) => a.done)
      )
        break;
      this.now = ev.at;
      if (ev.kind === 'task') this.startTask(ev.agent!);
      else if (ev.kind === 'call') this.issueCall(ev.agent!);
      else if (ev.kind === 'retry') this.arrive(ev.call!);
      else {
        if (ev.event!.type === 'tick') this.ticks.delete(ev.at);
        this.apply(ev.event!);
      }
      // a policy that refuses or stalls forever must end the run with an error, never hang it
      if (this.events > MAX_EVENTS || this.now > this.endMs)
        throw new AppError(
          'internal',
          `policy ${this.policy.name} on trace ${this.trace.name} made no progress: ${this.events} events, ${Math.round(this.now / 3_600_000)} h simulated`,
        );
    }
    const stuck = this.agents.filter((a) => !a.done).length;
    if (stuck > 0 || this.openCalls > 0)
      throw new AppError(
        'internal',
        `policy ${this.policy.name} on trace ${this.trace.name} left ${this.openCalls} calls of ${stuck} agents waiting forever`,
      );
    return this.events;
  }

  private push(e: SimEvent): void {
    e.seq = this.seq++;
    this.heap.push(e);
  }

  private startTask(a: AgentRun): void {
    if (a.tasksLeft <= 0 || this.now > this.trace.horizonMs) return this.finishAgent(a);
    a.tasksLeft--;
    a.turns = a.spec.turns ?? 6 + Math.floor(a.rng.next() * 15);
    a.turn = 0;
    a.context = TASK_CONTEXT_TOKENS;
    this.refreshUpcoming();
    this.issueCall(a);
  }

  private issueCall(a: AgentRun): void {
    const prompt = Math.round(logNormal(a.rng, 1500, SIGMA));
    const output = Math.min(2000, Math.round(logNormal(a.rng, 350, SIGMA)));
    const model = a.spec.model;
    const firstPrefill = a.turn === 0 ? a.context + prompt : prompt;
    const predicted =
      a.spec.workMs !== undefined
        ? a.spec.workMs / a.turns
        : serviceSeconds(this.anyCosts(model), firstPrefill, 350) * 1000;
    const call: Call = {
      id: `c${this.callSeq++}`,
      agent: a,
      model,
      promptTokens: prompt,
      outputTokens: output,
      arrivalMs: this.now,
      dispatchMs: -1,
      serviceMs: predicted,
      server: '',
    };
    this.calls[callNumber(call.id)] = call;
    this.openCalls++;
    this.arrive(call);
  }

  private arrive(call: Call): void {
    const a = call.agent;
    const r: SchedRequest = {
      id: call.id,
      model: call.model,
      agentId: a.spec.id,
      anonymous: false,
      arrivalMs: this.now,
      serviceMs: call.serviceMs,
      contextTokens: a.turn === 0 ? 0 : a.context,
      priority: a.spec.priority ?? 1,
      // always present (undefined without hints): one hidden class for every request
      upcomingModels: this.trace.hints
        ? a.turn + 1 < a.turns
          ? [call.model, ...this.upcoming]
          : this.upcoming
        : undefined,
    };
    this.apply({ type: 'arrival', request: r });
  }

  private anyCosts(model: string): ModelCosts {
    const c = this.anyCostsOf.get(model);
    if (c) return c;
    throw new AppError(
      'unschedulable',
      `trace ${this.trace.name}: unknown model ${model}: no server holds it (servers: ${this.trace.fleet.servers.map((s) => s.name).join(', ')})`,
    );
  }

  private apply(event: SchedEvent): void {
    this.events++;
    const { actions } = decide(this.policy, this.state, event, this.now);
    this.opts.onDecision?.(this.state, actions, this.now);
    if (event.type === 'completion') this.completed(event.requestId);
    for (const act of actions) this.perform(act);
  }

  private perform(act: SchedAction): void {
    switch (act.type) {
      case 'dispatch':
        return this.dispatched(act.requestId, act.server, act.model);
      case 'load': {
        const c = this.cache.costs[this.cache.slotOf(act.server, act.model)]!;
        this.rec.load(act.server, act.model, c.loadSeconds * 1000);
        const event: SchedEvent = { type: 'load-done', server: act.server, model: act.model, ok: true };
        return this.push(schedEvent(this.now + c.loadSeconds * 1000, event));
      }
      case 'unload': {
        const slot = this.cache.slotOf(act.server, act.model);
        const c = this.cache.costs[slot]!;
        this.cache.clear(slot);
        const event: SchedEvent = { type: 'unload-done', server: act.server, model: act.model };
        return this.push(schedEvent(this.now + c.unloadSeconds * 1000, event));
      }
      case 'reject':
        return this.rejectedCall(act.requestId, act.code, act.message, act.retryAfterSeconds);
      case 'timer':
        if (act.atMs > this.now && !this.ticks.has(act.atMs)) {
          this.ticks.add(act.atMs);
          this.push(schedEvent(act.atMs, { type: 'tick' }));
        }
        return;
      case 'close-gate':
        return;
    }
  }

  private dispatched(id: string, server: string, model: string): void {
    const call = this.callOf(id)!;
    const a = call.agent;
    call.dispatchMs = this.now;
    call.server = server;
    const slot = this.cache.slotOf(server, model);
    const first = a.turn === 0;
    const cached = this.cache.has(slot, a);
    if (!first && !cached) this.rec.reprefillTokens += a.context;
    let ms: number;
    if (a.spec.workMs !== undefined) ms = a.spec.workMs / a.turns;
    else {
      const c = this.cache.costs[slot]!;
      const prefill = call.promptTokens + (first || !cached ? a.context : 0);
      // streams of one model batch (g(b)); co-resident models running at once share the bandwidth
      let batch = 0;
      let sharing = 0;
      for (const m of this.state.byName.get(server)!.models.values()) {
        if (m.running.size > 0) sharing++;
        if (m.model === model) batch = m.running.size;
      }
      ms = serviceSeconds(c, prefill, call.outputTokens, batch) * 1000 * Math.max(1, sharing);
    }
    this.cache.add(slot, a);
    this.rec.busyUntil(server, this.now, this.now + ms);
    const wait = this.now - call.arrivalMs;
    a.waiting += wait;
    a.served += ms;
    this.rec.wait(model, wait);
    this.push(schedEvent(this.now + ms, { type: 'completion', requestId: id }));
  }

  private completed(id: string): void {
    const call = this.callOf(id);
    if (!call) return;
    this.calls[callNumber(id)] = undefined;
    this.openCalls--;
    this.rec.lastEndMs = this.now;
    const a = call.agent;
    a.context += call.promptTokens + call.outputTokens;
    a.turn++;
    if (a.turn < a.turns) {
      const delay = this.trace.workModel ? 0 : logNormal(a.rng, this.trace.toolDelayMedianMs, TOOL_SIGMA);
      return this.push(agentEvent(this.now + delay, 'call', a));
    }
    if (a.tasksLeft > 0 && this.now < this.trace.horizonMs) {
      const off = a.spec.offMedianMs ? logNormal(a.rng, a.spec.offMedianMs, 1) : 0;
      return this.push(agentEvent(this.now + off, 'task', a));
    }
    this.finishAgent(a);
  }

  private rejectedCall(id: string, code: string, message: string, retryAfterSeconds?: number): void {
    if (code === 'unschedulable') throw new AppError('unschedulable', `trace ${this.trace.name}: ${message}`);
    const call = this.callOf(id);
    if (!call) return;
    this.rec.rejected++;
    const delay = Number.isFinite(retryAfterSeconds) ? Math.max(1, retryAfterSeconds!) * 1000 : 5000;
    this.push(retryEvent(this.now + delay, call));
  }

  private callOf(id: string): Call | undefined {
    return this.calls[callNumber(id)];
  }

  private finishAgent(a: AgentRun): void {
    if (a.done) return;
    a.done = true;
    for (const d of this.dependents.get(a.spec.id) ?? [])
      if (--d.blockers === 0) this.push(agentEvent(this.now, 'task', d));
  }

  /** pipeline look-ahead: models of agents that have not started yet, in trace (topological) order */
  private refreshUpcoming(): void {
    if (!this.trace.hints) return;
    this.upcoming.length = 0;
    for (const a of this.agents)
      if (a.blockers > 0 && !this.upcoming.includes(a.spec.model)) this.upcoming.push(a.spec.model);
  }

  result(): SimResult {
    const m = this.rec.metrics(this.state.servers.length, this.events, this.agents);
    return { ...m, state: this.state, waits: this.rec.waits };
  }
}

/** the number of a call id `c<number>` made by issueCall (digits read in place, no substring) */
function callNumber(id: string): number {
  let n = 0;
  for (let i = 1; i < id.length; i++) n = n * 10 + id.charCodeAt(i) - 48;
  return n;
}
