// The seam between the request path (gateway, engine) and the scheduler. The gateway asks for a
// lease on a model, calls the backend on the server the lease names, then releases the lease.
// Loads and unloads are the scheduler's business (through ModelServerControl), never the caller's.
import type { Priority, Timings, Usage } from '../core/chat.ts';

export interface SubmitRequest {
  requestId: string;
  /** fleet model name (after alias resolution) */
  model: string;
  /** the public name the client asked for (shown in snapshots; the scheduler does not use it) */
  alias?: string;
  agentId?: string;
  sessionId?: string;
  priority?: Priority;
  /** estimated prompt and output tokens, for predicted service time */
  promptTokens: number;
  maxOutputTokens?: number;
  /** optional DAG hints: the models this agent will need next, nearest first */
  upcomingModels?: string[];
  /** aborting while queued removes the request; it never leaks a slot */
  signal?: AbortSignal;
  /** called when the request is queued or its position/ETA changes */
  onQueued?: (info: QueueInfo) => void;
}

export interface QueueInfo {
  position: number;
  /** predicted wait until dispatch, ms */
  etaMs: number;
  /** true while the model this request needs is being loaded */
  loading: boolean;
}

export interface LeaseOutcome {
  ok: boolean;
  usage?: Usage;
  timings?: Timings;
  /** the request was cancelled by the client */
  cancelled?: boolean;
}

export interface Lease {
  requestId: string;
  server: string;
  model: string;
  /** ms spent queued before dispatch */
  queuedMs: number;
  /** ms this request waited for its model to load (0 if it was resident); every waiter has its own */
  loadMs: number;
  /**
   * Set on exactly one lease per load the scheduler performed (the first dispatched after it), so
   * swaps and load seconds are counted once per load, not once per request that waited for it.
   */
  modelLoad?: { ms: number };
  /** ends the lease exactly once; later calls are ignored */
  release(outcome: LeaseOutcome): void;
}

export interface QueueSnapshot {
  servers: ServerSnapshot[];
  policy: string;
  /** W_target: the wait bound the policy aims at, ms */
  waitTargetMs: number;
  /** the scheduler's clock when the snapshot was taken, ms since the epoch */
  atMs: number;
}

export interface ServerSnapshot {
  name: string;
  resident: string[];
  loading?: string;
  exclusive?: string;
  /** usable memory and what loaded, loading and unloading models take of it, GiB */
  memoryGiB: number;
  usedGiB: number;
  /** every model that takes memory now */
  models: Array<{
    model: string;
    phase: 'loading' | 'resident' | 'unloading';
    memoryGiB: number;
    /** when an idle model unloads on its own (Ollama's keep-alive); absent when the scheduler holds it */
    expiresAtMs?: number;
    /** when its current load finished, ms */
    loadedAtMs?: number;
    running: number;
    queued: number;
  }>;
  /** the current exclusive visit and since when (clock ms) */
  visit?: { model: string; sinceMs: number };
  /** the swap the scheduler has committed to and not finished: what goes, what comes, and the stage */
  nextSwap?: { load?: string; evict: string[]; stage: 'draining' | 'unloading' | 'loading' };
  queued: Array<{
    requestId: string;
    model: string;
    alias?: string;
    agentId?: string;
    waitedMs: number;
    position: number;
  }>;
  inFlight: Array<{ requestId: string; model: string; alias?: string; agentId?: string }>;
  /** GXA: the configured W_target and the one it acts on (higher when the configured one is
   * infeasible at the server's load), seconds */
  waitTarget?: { configuredSeconds: number; effectiveSeconds: number };
}

export interface SchedulerPort {
  /**
   * Resolves when the request may run on a server with its model loaded. Rejects with AppError
   * 'rate_limited' / 'overloaded' (with retryAfterSeconds) when admission refuses it,
   * 'unschedulable' when no server can ever hold the model, 'cancelled' when the signal aborts.
   */
  submit(request: SubmitRequest): Promise<Lease>;
  snapshot(): QueueSnapshot;
  /**
   * calls `listener` after every change of the scheduler's state (arrivals, dispatches, loads,
   * completions, ticks); returns the unsubscribe function. Listeners must be cheap: they run on
   * the request path (the dashboard marks itself dirty and reads a snapshot later).
   */
  subscribe?(listener: () => void): () => void;
}

/** What the scheduler's runner needs from the servers (implemented over the Ollama client). */
export interface ModelServerControl {
  /** loads `model` on `server` with its configured context; resolves when loaded (ms taken) */
  load(server: string, model: string, signal?: AbortSignal): Promise<{ loadMs: number }>;
  unload(server: string, model: string, signal?: AbortSignal): Promise<void>;
  /** models loaded right now, from /api/ps (never a completion) */
  loaded(server: string, signal?: AbortSignal): Promise<string[]>;
}
