// The runner: implements SchedulerPort on a real (or manual, or scaled) Clock. It feeds events to
// the pure policy and performs its actions: resolves leases on dispatch, loads and unloads through
// ModelServerControl, rejects with AppErrors, arms timers. Every lease ends exactly once; aborting
// while queued removes the request; at most one load or unload per server is outstanding.
import { AppError, toAppError } from '../core/errors/index.ts';
import type { Priority } from '../core/chat.ts';
import type { FleetConfig } from '../config/schema.ts';
import { LearnedCosts, type TimingObservation } from '../cost/learned-costs.ts';
import { resolveModelCosts, serviceSeconds, type FleetCosts } from '../cost/model-costs.ts';
import { setBounded } from '../lib/bounded-map.ts';
import type { Clock } from '../lib/clock.ts';
import { decide } from './decide.ts';
import type { Policy } from './policy.ts';
import { policyByName } from './policies/index.ts';
import {
  createSchedulerState,
  MAX_REMEMBERED_AGENTS,
  type InitialResidency,
  type SchedulerState,
} from './scheduler-state.ts';

export { syncResidency } from './residency-sync.ts';
export { policyOptionsOf } from './policy-options.ts';
import type {
  Lease,
  LeaseOutcome,
  ModelServerControl,
  QueueSnapshot,
  SchedulerPort,
  SubmitRequest,
} from './scheduler-port.ts';
import { policyOptionsOf } from './policy-options.ts';
import { QueueNotifier } from './queue-notifier.ts';
import { effectiveWaitMs, requiredWaitMs } from './policies/effective-wait-target.ts';
import { queueSnapshot } from './queue-snapshot.ts';
import { ResidencyWatch } from './residency-watch.ts';
import type { LoadFailure, SchedAction, SchedEvent } from './scheduler-types.ts';

export interface SchedulerServiceOptions {
  fleet: FleetConfig;
  control: ModelServerControl;
  clock: Clock;
  /** default: fleet.scheduler.policy */
  policy?: string;
  /** server -> models loaded at start (see syncResidency to read them from the servers) */
  resident?: InitialResidency;
  /** predicted output tokens when a request gives no maxOutputTokens */
  defaultOutputTokens?: number;
  /** told once per server when GXA first acts on a wait bound above the configured W_target */
  onNotice?: (message: string) => void;
}

interface Pending {
  request: SubmitRequest;
  arrivalMs: number;
  resolve: (lease: Lease) => void;
  reject: (e: AppError) => void;
  detach: () => void;
}

const PRIORITY: Record<Priority, number> = { high: 0, medium: 1, low: 2 };

export class SchedulerService implements SchedulerPort {
  readonly learned: LearnedCosts;
  private readonly policy: Policy;
  private readonly state: SchedulerState;
  private readonly costs: FleetCosts;
  private readonly control: ModelServerControl;
  private readonly clock: Clock;
  private readonly pending = new Map<string, Pending>();
  private readonly timers = new Map<number, AbortController>();
  /** the last load per server; `counted` once a lease has carried it as `modelLoad` */
  private readonly loads = new Map<
    string,
    { model: string; startMs: number; endMs: number; counted: boolean }
  >();
  private readonly outputTokens: number;
  private closed = false;
  private readonly inflightLoads = new Set<AbortController>();
  private readonly notifier = new QueueNotifier();
  /** agent + model -> prompt tokens of its previous call (what its KV cache holds) */
  private readonly lastPrompt = new Map<string, number>();
  private readonly watch: ResidencyWatch;
  private readonly onNotice?: (message: string) => void;
  private readonly noticed = new Set<string>();
  /** the public alias of each request queued or running, for snapshots */
  private readonly aliases = new Map<string, string>();
  private readonly listeners = new Set<() => void>();

  constructor(o: SchedulerServiceOptions) {
    this.policy = policyByName(o.policy ?? o.fleet.scheduler.policy);
    this.costs = resolveModelCosts(o.fleet);
    this.learned = new LearnedCosts(this.costs);
    this.control = o.control;
    this.clock = o.clock;
    this.outputTokens = o.defaultOutputTokens ?? 350;
    this.onNotice = o.onNotice;
    this.watch = new ResidencyWatch({
      clock: o.clock,
      control: o.control,
      onLoaded: (server, models) => this.feed({ type: 'residency', server, models }),
    });
    this.state = createSchedulerState(
      this.policy.name,
      this.costs,
      policyOptionsOf(o.fleet),
      o.resident ?? {},
    );
  }

  submit(request: SubmitRequest): Promise<Lease> {
    if (this.closed)
      return Promise.reject(new AppError('upstream_unavailable', 'the scheduler is shut down'));
    if (request.signal?.aborted)
      return Promise.reject(new AppError('cancelled', 'request was cancelled before it was queued'));
    if (this.pending.has(request.requestId) || this.state.requests.has(request.requestId))
      return Promise.reject(new AppError('bad_request', `request id ${request.requestId} is already in use`));
    return new Promise<Lease>((resolve, reject) => {
      const onAbort = (): void => this.abort(request.requestId);
      request.signal?.addEventListener('abort', onAbort, { once: true });
      const detach = (): void => request.signal?.removeEventListener('abort', onAbort);
      const now = this.clock.now();
      this.pending.set(request.requestId, { request, arrivalMs: now, resolve, reject, detach });
      if (request.alias !== undefined) this.aliases.set(request.requestId, request.alias);
      const named = request.agentId ?? request.sessionId;
      const agentId = named ?? request.requestId;
      // An agent's prompt repeats its previous one: with the KV cache kept, only the new tail is
      // prefilled (the service time); the rest is what a model without the cache prefills again.
      // A call without an agent or session id has no previous prompt and leaves none behind.
      const key = `${agentId}\u0000${request.model}`;
      const cached = named === undefined ? 0 : Math.min(request.promptTokens, this.lastPrompt.get(key) ?? 0);
      if (named !== undefined) setBounded(this.lastPrompt, key, request.promptTokens, MAX_REMEMBERED_AGENTS);
      this.feed({
        type: 'arrival',
        request: {
          id: request.requestId,
          model: request.model,
          agentId,
          anonymous: named === undefined,
          arrivalMs: now,
          serviceMs: this.predictServiceMs(request, request.promptTokens - cached),
          contextTokens: cached,
          priority: PRIORITY[request.priority ?? 'medium'],
          upcomingModels: request.upcomingModels,
        },
      });
    });
  }

  snapshot(): QueueSnapshot {
    return queueSnapshot(this.policy.name, this.state, this.clock.now(), (id) => this.aliases.get(id));
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** rejects everything still queued and stops the timers; leases already granted stay valid */
  close(): void {
    this.closed = true;
    this.watch.close();
    for (const l of this.inflightLoads) l.abort(new AppError('cancelled', 'the scheduler is shutting down'));
    for (const t of this.timers.values()) t.abort();
    this.timers.clear();
    for (const id of [...this.pending.keys()]) {
      if (this.state.requests.get(id)?.status === 'running') continue;
      this.aliases.delete(id);
      this.feed({ type: 'cancel', requestId: id });
      this.settle(id, (q) =>
        q.reject(new AppError('upstream_unavailable', 'the scheduler is shutting down')),
      );
    }
  }

  private predictServiceMs(r: SubmitRequest, newPromptTokens: number): number {
    const server = this.state.modelServers.get(r.model)?.[0];
    const c = server === undefined ? undefined : this.learned.get(server, r.model);
    return c ? serviceSeconds(c, newPromptTokens, r.maxOutputTokens ?? this.outputTokens) * 1000 : 0;
  }

  private feed(event: SchedEvent): void {
    const now = this.clock.now();
    const { actions } = decide(this.policy, this.state, event, now);
    for (const a of actions) this.perform(a);
    this.notifier.notify(this.state, this.pending, now);
    if (this.onNotice && this.policy.name === 'gxa') this.noticeBound(now);
    for (const l of this.listeners) l();
  }

  /** once per server: the configured W_target is infeasible and GXA acts on a bound instead */
  private noticeBound(now: number): void {
    for (const server of this.state.servers) {
      if (this.noticed.has(server.name)) continue;
      const w = this.state.options.waitTargetMs;
      const effective = effectiveWaitMs(this.state, server, now);
      if (effective <= w) continue;
      this.noticed.add(server.name);
      this.onNotice?.(
        `${server.name}: W_target ${Math.round(w / 1000)} s is infeasible at this load (it needs at least ${Math.round(requiredWaitMs(server, now) / 1000)} s); GXA acts on ${Math.round(effective / 1000)} s, so swaps take at most ${Math.round(this.state.options.maxSwapShare * 100)}% of the server (see /metrics orchestra_wait_target_seconds)`,
      );
    }
  }

  private perform(a: SchedAction): void {
    switch (a.type) {
      case 'dispatch':
        return this.grant(a.requestId, a.server, a.model);
      case 'load':
        return this.load(a.server, a.model);
      case 'unload':
        return this.unload(a.server, a.model);
      case 'reject':
        this.aliases.delete(a.requestId);
        return this.settle(a.requestId, (p) =>
          p.reject(
            new AppError(a.code, a.message, {
              retryAfterSeconds: a.retryAfterSeconds,
              path: p.request.model,
            }),
          ),
        );
      case 'timer':
        return this.arm(a.atMs);
      case 'close-gate':
        return;
    }
  }

  private settle(id: string, f: (p: Pending) => void): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    this.notifier.forget(id);
    p.detach();
    f(p);
  }

  private grant(id: string, server: string, model: string): void {
    const now = this.clock.now();
    this.settle(id, (p) => {
      const load = this.loads.get(server);
      const waited = load !== undefined && load.model === model && load.endMs >= p.arrivalMs;
      const loadMs = waited ? load.endMs - Math.max(load.startMs, p.arrivalMs) : 0;
      const first = waited && !load.counted;
      if (first) load.counted = true;
      let done = false;
      p.resolve({
        requestId: id,
        server,
        model,
        queuedMs: now - p.arrivalMs,
        loadMs,
        ...(first ? { modelLoad: { ms: load.endMs - load.startMs } } : {}),
        release: (outcome: LeaseOutcome) => {
          if (done) return;
          done = true;
          this.aliases.delete(id);
          this.observe(server, model, outcome);
          this.feed({ type: 'completion', requestId: id });
        },
      });
    });
  }

  private observe(server: string, model: string, o: LeaseOutcome): void {
    if (!o.ok || !o.timings) return;
    this.learn({
      server,
      model,
      loadMs: o.timings.loadMs,
      // the tokens prefilled in prefillMs: a prompt mostly read from the KV cache is not a fast prefill
      promptTokens: o.timings.prefillTokens ?? o.usage?.inputTokens,
      prefillMs: o.timings.prefillMs,
      outputTokens: o.usage?.outputTokens,
      decodeMs: o.timings.decodeMs,
    });
  }

  /** feeds an observation to the moving averages and the policy's view of load time and prefill */
  private learn(o: TimingObservation): void {
    this.learned.observe(o);
    const c = this.learned.get(o.server, o.model);
    const ms = this.state.byName.get(o.server)?.models.get(o.model);
    if (!c || !ms) return;
    ms.loadMs = c.loadSeconds * 1000;
    ms.prefillPerMs = c.prefillTokensPerSecond / 1000;
  }

  private load(server: string, model: string): void {
    const startMs = this.clock.now();
    // A load that never answers would hold the server's one outstanding load forever. Past ten
    // predicted loads (at least the predicted load plus ten minutes: a slow disk or a busy server is
    // not a hung one) it fails like any load error.
    const predictedMs = this.state.byName.get(server)?.models.get(model)?.loadMs ?? 60_000;
    const ac = new AbortController();
    this.inflightLoads.add(ac);
    const deadline = new AbortController();
    this.clock.sleep(Math.max(10 * predictedMs, predictedMs + 600_000), deadline.signal).then(
      () =>
        ac.abort(new AppError('upstream_timeout', `loading ${model} on ${server} did not finish in time`)),
      () => {},
    );
    const settled = (): void => {
      deadline.abort();
      this.inflightLoads.delete(ac);
    };
    this.control
      .load(server, model, ac.signal)
      .finally(settled)
      .then(
        ({ loadMs }) => {
          this.learn({ server, model, loadMs });
          this.loads.set(server, { model, startMs, endMs: this.clock.now(), counted: false });
          this.feed({ type: 'load-done', server, model, ok: true });
        },
        (e: unknown) => {
          this.feed({ type: 'load-done', server, model, ok: false, failure: loadFailure(e) });
          // the server may hold other models than the scheduler believes (an outage, a crash)
          this.watch.check(server);
        },
      );
  }

  private unload(server: string, model: string): void {
    // an unload that fails leaves the model's memory unknown: treat it as gone so the queue moves,
    // and ask the server what it holds
    const done = (): void => this.feed({ type: 'unload-done', server, model });
    this.control.unload(server, model).then(done, () => {
      done();
      this.watch.check(server);
    });
  }

  private arm(atMs: number): void {
    if (this.closed || this.timers.has(atMs)) return;
    const ac = new AbortController();
    this.timers.set(atMs, ac);
    this.clock.sleep(Math.max(0, atMs - this.clock.now()), ac.signal).then(
      () => {
        this.timers.delete(atMs);
        this.feed({ type: 'tick' });
      },
      () => this.timers.delete(atMs),
    );
  }

  private abort(id: string): void {
    if (this.state.requests.get(id)?.status === 'running') return;
    this.aliases.delete(id);
    this.feed({ type: 'cancel', requestId: id });
    this.settle(id, (p) => p.reject(new AppError('cancelled', 'request was cancelled while queued')));
  }
}

/** a failed load as the scheduler passes it on: an unreachable server is a 503, anything else a 500 */
function loadFailure(e: unknown): LoadFailure {
  const err = toAppError(e);
  return {
    code: err.code === 'upstream_unavailable' ? 'upstream_unavailable' : 'load_failed',
    message: err.message,
  };
}
