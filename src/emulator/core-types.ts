// Types of the emulated Ollama server's pure core. Times are ms on the emulator's clock.

export interface CoreRequest {
  id: string;
  /** a model name this server holds (the app answers 404 for others first) */
  model: string;
  /** options.num_ctx; the model's configured context when omitted */
  numCtx?: number;
  /** keep_alive in ms (Infinity = forever); undefined when the request gave none */
  keepAliveMs?: number;
  /** prompt tokens in all (the sum of promptParts when those are given) */
  promptTokens: number;
  /** the prompt as parts (messages) for the per-slot prompt cache; one uncacheable part when omitted */
  promptParts?: ReadonlyArray<{ key: string; tokens: number }>;
  /** identity of the reply as the client will send it back, cached after the prompt */
  replyKey?: string;
  outputTokens: number;
  /** extra delay before the first token (the slow-first-token fault), ms */
  extraFirstTokenMs?: number;
}

/** Durations reported for one finished request, ms (Ollama reports them in ns). */
export interface CoreTimings {
  totalMs: number;
  /** arrival until the runner was handed over (global queue wait + load, like Ollama's
   *  load_duration); waiting for one of the runner's slots counts only in totalMs */
  loadMs: number;
  prefillMs: number;
  decodeMs: number;
}

export type CoreEvent =
  | { type: 'started'; id: string; at: number; prefillMs: number; decodeMs: number; loadMs: number }
  | {
      type: 'done';
      id: string;
      at: number;
      timings: CoreTimings;
      /** prompt tokens evaluated (not found in the slot's cache), as Ollama's prompt_eval_count */
      promptTokens: number;
      /** prompt tokens reused from the slot's cache */
      cachedTokens: number;
      outputTokens: number;
    }
  | { type: 'failed'; id: string; at: number; status: number; message: string }
  | { type: 'cancelled'; id: string; at: number }
  | { type: 'load_started' | 'loaded' | 'unload_started' | 'unloaded'; model: string; at: number };

export type RunnerState = 'loading' | 'ready' | 'unloading';

export interface RunnerView {
  /** the model name that loaded it */
  name: string;
  weights: string;
  state: RunnerState;
  sizeGiB: number;
  contextLength: number;
  refCount: number;
  /** requests in a slot right now */
  active: number;
  /** requests admitted to this runner, waiting for a slot */
  waiting: number;
  /** ms; Infinity = never unloads */
  keepAliveMs: number;
  /** when the idle timer fires; undefined while busy, kept forever, or unloading */
  expiresAt: number | undefined;
  loadedAt: number;
}

export interface CoreSnapshot {
  now: number;
  capacityGiB: number;
  usedGiB: number;
  runners: RunnerView[];
  /** requests in the global FIFO (not yet admitted to a runner) */
  queued: number;
  /** requests admitted to runners (waiting for a slot or running) */
  admitted: number;
  /** true while the scheduler loop waits for a victim to unload */
  blocked: boolean;
}

/** Ollama's default keep-alive (OLLAMA_KEEP_ALIVE), ms */
export const DEFAULT_KEEP_ALIVE_MS = 5 * 60 * 1000;
