// Learning from observed timings: an exponential moving average per (server, model) of the load
// time and the prefill/decode speeds Ollama reports (load_duration, prompt_eval_*, eval_*), with
// the configured costs as the prior. Pure: the caller feeds observations.
import { costKey, type FleetCosts, type ModelCosts } from './model-costs.ts';

export interface TimingObservation {
  server: string;
  model: string;
  /** ms spent loading (0 or absent when the model was resident) */
  loadMs?: number;
  promptTokens?: number;
  prefillMs?: number;
  outputTokens?: number;
  decodeMs?: number;
}

export interface LearnedCostsOptions {
  /** weight of each new observation, 0..1 */
  alpha?: number;
  /** observations shorter than this (ms) say more about overhead than speed and are ignored */
  minDurationMs?: number;
}

export class LearnedCosts {
  private readonly current = new Map<string, ModelCosts>();
  private readonly alpha: number;
  private readonly minMs: number;

  constructor(prior: FleetCosts, options: LearnedCostsOptions = {}) {
    for (const [k, v] of prior.models) this.current.set(k, { ...v });
    this.alpha = options.alpha ?? 0.2;
    this.minMs = options.minDurationMs ?? 50;
  }

  /** the current estimate, or undefined for a pair the fleet does not have */
  get(server: string, model: string): ModelCosts | undefined {
    return this.current.get(costKey(server, model));
  }

  observe(o: TimingObservation): void {
    const c = this.current.get(costKey(o.server, o.model));
    if (!c) return;
    if (o.loadMs !== undefined && o.loadMs >= this.minMs)
      c.loadSeconds = this.ema(c.loadSeconds, o.loadMs / 1000);
    const prefill = rate(o.promptTokens, o.prefillMs, this.minMs);
    if (prefill !== undefined) c.prefillTokensPerSecond = this.ema(c.prefillTokensPerSecond, prefill);
    const decode = rate(o.outputTokens, o.decodeMs, this.minMs);
    if (decode !== undefined) c.decodeTokensPerSecond = this.ema(c.decodeTokensPerSecond, decode);
  }

  private ema(old: number, observed: number): number {
    return old + this.alpha * (observed - old);
  }
}

function rate(tokens: number | undefined, ms: number | undefined, minMs: number): number | undefined {
  if (tokens === undefined || ms === undefined || !(tokens > 0) || !(ms >= minMs)) return undefined;
  return tokens / (ms / 1000);
}
