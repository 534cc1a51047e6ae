// The cost model per (server, model): memory, load and unload time, prefill and decode speed,
// service time of a call and the price of a swap. Config values win; the server's calibration
// profile fills the gaps (DESIGN.md "Cost model"). Seconds, GiB and tokens/s throughout.
import { AppError } from '../core/errors/index.ts';
import { serverMemoryGiB } from '../config/cross-check.ts';
import { paramsBOf, residentMemoryGiB } from '../config/model-memory.ts';
import { profileOf } from '../config/profiles.ts';
import type { FleetConfig, ModelConfig, ServerConfig } from '../config/schema.ts';
import { batchingGain } from './batching-gain.ts';

const GIB_IN_GB = 1024 ** 3 / 1e9;

export interface ModelCosts {
  server: string;
  model: string;
  /** GiB resident when loaded: weights + KV of every parallel slot at the configured context */
  memoryGiB: number;
  /** seconds to load from disk (t0 + weights / read rate) */
  loadSeconds: number;
  unloadSeconds: number;
  /** prompt tokens per second (compute-bound) */
  prefillTokensPerSecond: number;
  /** output tokens per second of one stream (bandwidth-bound) */
  decodeTokensPerSecond: number;
}

export interface ServerCosts {
  server: string;
  /** GPU-usable memory, GiB */
  memoryGiB: number;
  parallel: number;
  maxLoadedModels: number;
  queueMax: number;
}

export interface FleetCosts {
  servers: Map<string, ServerCosts>;
  /** key: costKey(server, model) */
  models: Map<string, ModelCosts>;
}

export function costKey(server: string, model: string): string {
  return `${server}\u0000${model}`;
}

/** Costs of every (local server, model) pair of the fleet; cloud servers are left out. */
export function resolveModelCosts(fleet: FleetConfig): FleetCosts {
  const servers = new Map<string, ServerCosts>();
  for (const s of fleet.servers) {
    if (s.kind !== 'ollama') continue;
    servers.set(s.name, {
      server: s.name,
      memoryGiB: serverMemoryGiB(s),
      parallel: s.parallel,
      maxLoadedModels: s.maxLoadedModels,
      queueMax: s.queueMax,
    });
  }
  const byName = new Map(fleet.servers.map((s) => [s.name, s]));
  const models = new Map<string, ModelCosts>();
  for (const m of fleet.models) {
    for (const sn of m.servers) {
      const s = byName.get(sn);
      if (!s || s.kind !== 'ollama') continue;
      models.set(costKey(sn, m.name), modelCostsOn(s, m));
    }
  }
  return { servers, models };
}

/** Costs of one model on one server from config, then the server's profile. */
export function modelCostsOn(server: ServerConfig, model: ModelConfig): ModelCosts {
  const p = profileOf(server.profile);
  if (model.memoryGiB === undefined)
    throw new AppError('config_invalid', `model ${model.name} has no memoryGiB; a local model needs one`, {
      path: `models.${model.name}.memoryGiB`,
    });
  const weightsGB = model.memoryGiB * GIB_IN_GB;
  return {
    server: server.name,
    model: model.name,
    memoryGiB: residentMemoryGiB(model, server.parallel),
    loadSeconds: model.loadSeconds ?? p.loadOverheadSeconds + weightsGB / p.loadGBps,
    unloadSeconds: p.unloadSeconds,
    prefillTokensPerSecond:
      model.prefillTokensPerSecond ?? p.prefillTokensPerSecondTimesParamsB / paramsBOf(model),
    decodeTokensPerSecond:
      model.decodeTokensPerSecond ?? (p.decodeEfficiency * p.memoryBandwidthGBps) / weightsGB,
  };
}

/** The costs of `model` on `server`, or AppError 'unschedulable' naming both. */
export function costsOf(costs: FleetCosts, server: string, model: string): ModelCosts {
  const c = costs.models.get(costKey(server, model));
  if (!c)
    throw new AppError('unschedulable', `model ${model} is not held by server ${server}`, { path: model });
  return c;
}

/**
 * Seconds one call takes: prefill of `promptTokens` (the uncached part of the prompt), then
 * `outputTokens` decoded while `batch` streams share the model (each gets r1 * g(b) / b).
 */
export function serviceSeconds(c: ModelCosts, promptTokens: number, outputTokens: number, batch = 1): number {
  const b = Math.max(1, batch);
  const perStream = (c.decodeTokensPerSecond * batchingGain(b)) / b;
  return promptTokens / c.prefillTokensPerSecond + outputTokens / perStream;
}

export interface SwapPenaltyInput {
  /** the model being evicted, or undefined when memory is free */
  victim?: ModelCosts;
  /** seconds of in-flight work of the victim still to finish */
  drainSeconds: number;
  /** the model to load */
  incoming: ModelCosts;
  /** context tokens of every agent whose KV cache lives in the victim and will be needed again */
  cachedContextTokens: readonly number[];
}

export interface SwapPenalty {
  drainSeconds: number;
  unloadSeconds: number;
  loadSeconds: number;
  /** seconds to prefill the evicted agents' contexts again when they come back */
  reprefillSeconds: number;
  totalSeconds: number;
}

/** drain + unload + load + re-prefill of the agent contexts cached in the victim (DESIGN.md) */
export function swapPenalty(input: SwapPenaltyInput): SwapPenalty {
  const unloadSeconds = input.victim?.unloadSeconds ?? 0;
  let tokens = 0;
  for (const t of input.cachedContextTokens) tokens += t;
  const reprefillSeconds = input.victim ? tokens / input.victim.prefillTokensPerSecond : 0;
  const loadSeconds = input.incoming.loadSeconds;
  return {
    drainSeconds: input.drainSeconds,
    unloadSeconds,
    loadSeconds,
    reprefillSeconds,
    totalSeconds: input.drainSeconds + unloadSeconds + loadSeconds + reprefillSeconds,
  };
}
