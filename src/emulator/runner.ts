// The core's records of requests and runners (one runner per loaded weights file), and the
// internal events they schedule.
import { DEFAULT_KEEP_ALIVE_MS, type CoreRequest, type RunnerState, type RunnerView } from './core-types.ts';
import type { ModelTiming } from './model-timing.ts';
import type { PromptPart } from './prompt-cache.ts';

export interface Req {
  r: CoreRequest;
  weights: string;
  numCtx: number;
  arrivedAt: number;
  runner?: Runner;
  /** when the runner was ready for this request (ms) */
  readyAt?: number;
  prefillMs: number;
  decodeMs: number;
  finishAt?: number;
  /** decode progress: output tokens still to decode as of `lastUpdate`, at `rate` tokens/ms */
  decodeStart: number;
  remaining: number;
  rate: number;
  lastUpdate: number;
  /** the parallel slot it runs in */
  slot?: number;
  /** prompt tokens found in the slot's cache */
  cachedTokens: number;
}

export interface Runner {
  name: string;
  weights: string;
  numCtx: number;
  sizeGiB: number;
  timing: ModelTiming;
  state: RunnerState;
  readyAt: number;
  unloadAt: number;
  refCount: number;
  keepAliveMs: number;
  expiresAt: number | undefined;
  /** admitted, waiting for one of the server's parallel slots */
  waiting: Req[];
  active: Req[];
  /** per parallel slot: the prompt parts its KV cache holds */
  slotCaches: PromptPart[][];
  loadedAt: number;
  /** set when a load-failure fault applies: the load fails with this message */
  failLoad: string | undefined;
}

export interface NewRunner {
  name: string;
  /** parallel slots (OLLAMA_NUM_PARALLEL) */
  slots: number;
  weights: string;
  numCtx: number;
  sizeGiB: number;
  timing: ModelTiming;
  now: number;
  state: 'loading' | 'ready';
  failLoad: string | undefined;
}

export function newRunner(n: NewRunner): Runner {
  return {
    name: n.name,
    weights: n.weights,
    numCtx: n.numCtx,
    sizeGiB: n.sizeGiB,
    timing: n.timing,
    state: n.state,
    readyAt: n.state === 'ready' ? n.now : n.now + n.timing.loadMs,
    unloadAt: 0,
    refCount: 0,
    keepAliveMs: DEFAULT_KEEP_ALIVE_MS,
    expiresAt: undefined,
    waiting: [],
    active: [],
    slotCaches: Array.from({ length: n.slots }, () => []),
    loadedAt: n.now,
    failLoad: n.failLoad,
  };
}

export function runnerView(r: Runner): RunnerView {
  return {
    name: r.name,
    weights: r.weights,
    state: r.state,
    sizeGiB: r.sizeGiB,
    contextLength: r.numCtx,
    refCount: r.refCount,
    active: r.active.length,
    waiting: r.waiting.length,
    keepAliveMs: r.keepAliveMs,
    expiresAt: r.expiresAt,
    loadedAt: r.loadedAt,
  };
}

export type Due =
  | { kind: 'finish'; at: number; req: Req }
  | { kind: 'loaded' | 'unloaded' | 'expired'; at: number; runner: Runner };

/** the earliest internal event due at or before `limit`; ties go to the first found (stable) */
export function nextDue(runners: Iterable<Runner>, limit: number): Due | undefined {
  let best: Due | undefined;
  const consider = (d: Due): void => {
    if (d.at <= limit && (!best || d.at < best.at)) best = d;
  };
  for (const runner of runners) {
    for (const req of runner.active) consider({ kind: 'finish', at: req.finishAt!, req });
    if (runner.state === 'loading') consider({ kind: 'loaded', at: runner.readyAt, runner });
    if (runner.state === 'unloading') consider({ kind: 'unloaded', at: runner.unloadAt, runner });
    if (runner.state === 'ready' && runner.expiresAt !== undefined)
      consider({ kind: 'expired', at: runner.expiresAt, runner });
  }
  return best;
}

/** Decode progress up to `t` at the current rate. */
export function progressTo(req: Req, t: number): void {
  const from = Math.max(req.lastUpdate, req.decodeStart);
  if (t > from) req.remaining = Math.max(0, req.remaining - (t - from) * req.rate);
  req.lastUpdate = Math.max(req.lastUpdate, t);
}

/**
 * The streams of a runner share the decode: each gets r1 * g(b) / b for the b requests in its
 * slots. Called whenever b changes; projects each request's finish from its remaining tokens.
 */
export function rerate(active: readonly Req[], t: number, perStreamTokensPerMs: number): void {
  for (const req of active) {
    progressTo(req, t);
    req.rate = perStreamTokensPerMs;
    req.finishAt = Math.max(t, req.decodeStart) + (req.rate > 0 ? req.remaining / req.rate : 0);
  }
}

/** when output token `index` (0-based) appears, as projected now */
export function projectedTokenTime(req: Req, index: number): number {
  const base = Math.max(req.lastUpdate, req.decodeStart);
  const decoded = req.r.outputTokens - req.remaining;
  if (index + 1 <= decoded) return base;
  return base + (index + 1 - decoded) / req.rate;
}

/** choose(): keep-alive ascending (forever last), then name; the first idle one, else the first */
export function chooseVictim(runners: Iterable<Runner>): Runner {
  const sorted = [...runners].sort(
    (a, b) => a.keepAliveMs - b.keepAliveMs || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  return sorted.find((r) => r.refCount === 0) ?? sorted[0]!;
}
