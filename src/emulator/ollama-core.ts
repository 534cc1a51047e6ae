// The pure core of one emulated Ollama server: memory, runners, slots, keep-alive timers and
// Ollama's scheduler (DESIGN.md "Ollama behaviour"). No I/O and no clock: every call passes `now`
// (ms) and gets back the events that happened up to then; nextEventAt() says when to call again.
import { AppError } from '../core/errors/index.ts';
import { serverMemoryGiB } from '../config/cross-check.ts';
import type { ModelConfig, ServerConfig } from '../config/schema.ts';
import { DEFAULT_KEEP_ALIVE_MS, type CoreEvent, type CoreRequest, type CoreSnapshot } from './core-types.ts';
import { modelTiming, type ModelTiming } from './model-timing.ts';
import { completeInSlot, rerateRunner, startSlots } from './runner-slots.ts';
import {
  newRunner,
  nextDue,
  chooseVictim,
  projectedTokenTime,
  runnerView,
  type Due,
  type Req,
  type Runner,
} from './runner.ts';

const LOAD_FAILURE_MESSAGE =
  'llama runner process has terminated: error loading model: unable to allocate backend buffer (out of memory)';

/** Ollama's message when the pending queue is full (OLLAMA_MAX_QUEUE) */
export const QUEUE_FULL_MESSAGE = 'server busy, please try again.  maximum pending requests exceeded';

export interface CoreOptions {
  server: ServerConfig;
  /** the models this server holds */
  models: readonly ModelConfig[];
  /** ms; the server's `resident` models are loaded at this instant */
  start: number;
}

export interface LoadFailure {
  /** only loads of this model fail; every load when omitted */
  model?: string;
  message?: string;
}

export class OllamaCore {
  private readonly server: ServerConfig;
  private readonly models = new Map<string, { model: ModelConfig; timing: ModelTiming }>();
  private readonly runners = new Map<string, Runner>();
  private readonly requests = new Map<string, Req>();
  private queue: Req[] = [];
  private blocked = false;
  private t: number;
  private loadFailure: LoadFailure | undefined;
  /** events produced by a call that then threw; returned by the next call */
  private carry: CoreEvent[] = [];
  readonly capacityGiB: number;

  constructor(options: CoreOptions) {
    this.server = options.server;
    this.capacityGiB = serverMemoryGiB(options.server);
    this.t = options.start;
    for (const m of options.models)
      this.models.set(m.name, { model: m, timing: modelTiming(m, options.server) });
    for (const name of options.server.resident) this.preload(name);
  }

  /** the model config for a name as clients send it ("x" or "x:latest"), or undefined */
  resolve(name: string): ModelConfig | undefined {
    return (this.models.get(name) ?? this.models.get(name.replace(/:latest$/, '')))?.model;
  }

  setLoadFailure(failure: LoadFailure | undefined): void {
    this.loadFailure = failure;
  }

  /** Arrival of a request: fast path onto a loaded runner, else the global FIFO (503 when full). */
  submit(request: CoreRequest, now: number): CoreEvent[] {
    const out = this.run(now);
    try {
      this.accept(request, out);
    } catch (e) {
      // A refusal must not swallow what happened before it: the next call returns those events.
      this.carry = out;
      throw e;
    }
    out.push(...this.run(now));
    return out;
  }

  private accept(request: CoreRequest, out: CoreEvent[]): void {
    const entry = this.models.get(this.resolve(request.model)?.name ?? '');
    if (!entry)
      throw new AppError('model_not_found', `model "${request.model}" not found, try pulling it first`);
    if (this.requests.has(request.id))
      throw new AppError('bad_request', `request id ${request.id} is in use`);
    const req: Req = {
      r: request,
      weights: entry.model.weights ?? entry.model.name,
      numCtx: request.numCtx ?? entry.model.contextTokens,
      arrivedAt: this.t,
      prefillMs: 0,
      decodeMs: 0,
      decodeStart: 0,
      remaining: request.outputTokens,
      rate: 0,
      lastUpdate: 0,
      cachedTokens: 0,
    };
    const runner = this.runners.get(req.weights);
    if (runner && runner.state !== 'unloading' && runner.numCtx === req.numCtx) {
      this.requests.set(request.id, req);
      this.admit(req, runner, out);
    } else {
      if (this.queue.length >= this.server.queueMax)
        throw new AppError('overloaded', QUEUE_FULL_MESSAGE, { retryAfterSeconds: 1 });
      this.requests.set(request.id, req);
      this.queue.push(req);
      this.processPending(out);
    }
  }

  /** The client went away: drop the request from the queue or free its slot. Idempotent. */
  cancel(id: string, now: number): CoreEvent[] {
    const out = this.run(now);
    const req = this.requests.get(id);
    if (!req) return out;
    this.requests.delete(id);
    out.push({ type: 'cancelled', id, at: this.t });
    const runner = req.runner;
    if (!runner) {
      this.queue = this.queue.filter((q) => q !== req);
      this.processPending(out);
    } else {
      runner.waiting = runner.waiting.filter((q) => q !== req);
      runner.active = runner.active.filter((q) => q !== req);
      this.release(runner, out);
    }
    out.push(...this.run(now));
    return out;
  }

  /** keep_alive 0 with no messages: unload the model's runner once idle (no-op when not loaded). */
  expire(model: string, now: number): CoreEvent[] {
    const out = this.run(now);
    const m = this.resolve(model);
    const runner = m ? this.runners.get(m.weights ?? m.name) : undefined;
    if (runner && runner.state !== 'unloading') {
      runner.keepAliveMs = 0;
      runner.expiresAt = undefined;
      if (runner.state === 'ready' && runner.refCount === 0) this.startUnload(runner, out);
    }
    out.push(...this.run(now));
    return out;
  }

  /** Processes every internal event due up to `now`. */
  advance(now: number): CoreEvent[] {
    return this.run(now);
  }

  /** when output token `index` of a running request appears, as projected now (ms) */
  tokenTime(id: string, index: number): number | undefined {
    const req = this.requests.get(id);
    return req?.slot === undefined || !req.runner?.active.includes(req)
      ? undefined
      : projectedTokenTime(req, index);
  }

  /** when the next internal event is due (ms), or undefined when nothing is pending */
  nextEventAt(): number | undefined {
    return this.carry.length > 0 ? this.t : this.nextDue(Infinity)?.at;
  }

  snapshot(): CoreSnapshot {
    const runners = [...this.runners.values()].map(runnerView);
    return {
      now: this.t,
      capacityGiB: this.capacityGiB,
      usedGiB: this.usedGiB(),
      runners,
      queued: this.queue.length,
      admitted: this.requests.size - this.queue.length,
      blocked: this.blocked,
    };
  }

  private run(now: number): CoreEvent[] {
    const out = this.carry;
    this.carry = [];
    for (let due = this.nextDue(now); due; due = this.nextDue(now)) {
      this.t = Math.max(this.t, due.at);
      this.handle(due, out);
      this.processPending(out);
    }
    this.t = Math.max(this.t, now);
    return out;
  }

  private nextDue(limit: number): Due | undefined {
    return nextDue(this.runners.values(), limit);
  }

  private handle(due: Due, out: CoreEvent[]): void {
    if (due.kind === 'finish') return this.finish(due.req, out);
    const runner = due.runner;
    if (due.kind === 'loaded') return this.loadDone(runner, out);
    if (due.kind === 'expired') return this.startUnload(runner, out);
    this.runners.delete(runner.weights);
    this.blocked = false;
    out.push({ type: 'unloaded', model: runner.name, at: this.t });
  }

  /** Ollama's loop over the head of the global FIFO (head-of-line blocking), checks 1-7. */
  private processPending(out: CoreEvent[]): void {
    while (!this.blocked && this.queue.length > 0) {
      // Memory of an unloading runner is not free yet: wait for it.
      if ([...this.runners.values()].some((r) => r.state === 'unloading')) return;
      const head = this.queue[0]!;
      const same = this.runners.get(head.weights);
      if (same) {
        if (same.numCtx !== head.numCtx) return this.evict(same, out);
        this.queue.shift();
        this.admit(head, same, out);
        continue;
      }
      if (this.runners.size >= this.server.maxLoadedModels)
        return this.evict(chooseVictim(this.runners.values()), out);
      const timing = this.models.get(this.resolve(head.r.model)!.name)!.timing;
      const need = timing.sizeGiB(head.numCtx);
      if (need > this.capacityGiB) {
        this.queue.shift();
        this.fail(head, 500, oomMessage(need, this.capacityGiB), out);
        continue;
      }
      if (this.runners.size === 0 || need <= 0.8 * (this.capacityGiB - this.usedGiB())) {
        this.queue.shift();
        this.load(head, timing, need, out);
        continue;
      }
      return this.evict(chooseVictim(this.runners.values()), out);
    }
  }

  private evict(victim: Runner, out: CoreEvent[]): void {
    this.blocked = true;
    victim.keepAliveMs = 0;
    victim.expiresAt = undefined;
    if (victim.state === 'ready' && victim.refCount === 0) this.startUnload(victim, out);
  }

  private load(head: Req, timing: ModelTiming, sizeGiB: number, out: CoreEvent[]): void {
    const model = this.resolve(head.r.model)!;
    const failure = this.loadFailure;
    const runner = newRunner({
      name: model.name,
      slots: this.server.parallel,
      weights: head.weights,
      numCtx: head.numCtx,
      sizeGiB,
      timing,
      now: this.t,
      state: 'loading',
      failLoad:
        failure && (failure.model === undefined || this.resolve(failure.model)?.name === model.name)
          ? (failure.message ?? LOAD_FAILURE_MESSAGE)
          : undefined,
    });
    this.runners.set(runner.weights, runner);
    out.push({ type: 'load_started', model: runner.name, at: this.t });
    this.admit(head, runner, out);
  }

  private loadDone(runner: Runner, out: CoreEvent[]): void {
    if (runner.failLoad !== undefined) {
      this.runners.delete(runner.weights);
      this.blocked = false;
      for (const req of runner.waiting) this.fail(req, 500, runner.failLoad, out);
      return;
    }
    runner.state = 'ready';
    runner.loadedAt = this.t;
    for (const req of runner.waiting) req.readyAt = this.t;
    out.push({ type: 'loaded', model: runner.name, at: this.t });
    this.startSlots(runner, out);
    if (runner.refCount === 0) this.idle(runner, out);
  }

  private admit(req: Req, runner: Runner, out: CoreEvent[]): void {
    req.runner = runner;
    // Ollama's load_duration ends when the scheduler hands the runner over, before any slot wait.
    if (runner.state === 'ready') req.readyAt = this.t;
    runner.refCount++;
    runner.expiresAt = undefined;
    if (req.r.keepAliveMs !== undefined) runner.keepAliveMs = req.r.keepAliveMs;
    runner.waiting.push(req);
    this.startSlots(runner, out);
  }

  private startSlots(runner: Runner, out: CoreEvent[]): void {
    startSlots(runner, this.t, this.server.parallel, out);
  }

  private finish(req: Req, out: CoreEvent[]): void {
    const runner = req.runner!;
    this.requests.delete(req.r.id);
    out.push(completeInSlot(req, this.t));
    this.release(runner, out);
  }

  /** one request left the runner: next slot, and at refCount 0 unload or arm the idle timer */
  private release(runner: Runner, out: CoreEvent[]): void {
    runner.refCount--;
    rerateRunner(runner, this.t);
    this.startSlots(runner, out);
    if (runner.refCount === 0 && runner.state === 'ready') this.idle(runner, out);
  }

  private idle(runner: Runner, out: CoreEvent[]): void {
    if (runner.keepAliveMs <= 0) this.startUnload(runner, out);
    else runner.expiresAt = Number.isFinite(runner.keepAliveMs) ? this.t + runner.keepAliveMs : undefined;
  }

  private startUnload(runner: Runner, out: CoreEvent[]): void {
    runner.state = 'unloading';
    runner.expiresAt = undefined;
    runner.unloadAt = this.t + runner.timing.unloadMs;
    out.push({ type: 'unload_started', model: runner.name, at: this.t });
  }

  private fail(req: Req, status: number, message: string, out: CoreEvent[]): void {
    this.requests.delete(req.r.id);
    out.push({ type: 'failed', id: req.r.id, at: this.t, status, message });
  }

  private preload(name: string): void {
    const entry = this.models.get(name);
    if (!entry) return;
    const weights = entry.model.weights ?? entry.model.name;
    const sizeGiB = entry.timing.sizeGiB(entry.model.contextTokens);
    const fits = this.usedGiB() + sizeGiB <= this.capacityGiB;
    if (!fits || this.runners.size >= this.server.maxLoadedModels || this.runners.has(weights)) return;
    const runner = newRunner({
      name,
      slots: this.server.parallel,
      weights,
      numCtx: entry.model.contextTokens,
      sizeGiB,
      timing: entry.timing,
      now: this.t,
      state: 'ready',
      failLoad: undefined,
    });
    runner.expiresAt = this.t + DEFAULT_KEEP_ALIVE_MS;
    this.runners.set(weights, runner);
  }

  private usedGiB(): number {
    let sum = 0;
    for (const r of this.runners.values()) sum += r.sizeGiB;
    return sum;
  }
}

function oomMessage(need: number, capacity: number): string {
  return `model requires more system memory (${need.toFixed(1)} GiB) than is available (${capacity.toFixed(1)} GiB)`;
}
