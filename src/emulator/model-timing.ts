// The cost model (src/cost) of one model on one emulated server, in the emulator's units: ms, and
// memory as a function of the requested num_ctx (a request may ask for another context).
import { modelCostsOn } from '../cost/index.ts';
import { residentMemoryGiB } from '../config/model-memory.ts';
import type { ModelConfig, ServerConfig } from '../config/schema.ts';

export interface ModelTiming {
  /** ms to load the weights (t0 + W / R) */
  loadMs: number;
  /** ms to unload */
  unloadMs: number;
  /** prompt tokens per second (compute-bound) */
  prefillTokensPerSecond: number;
  /** single-stream decode tokens per second (bandwidth-bound) */
  decodeTokensPerSecond: number;
  /** GiB resident with the server's parallel slots at `numCtx` tokens of context each */
  sizeGiB(numCtx: number): number;
}

export function modelTiming(model: ModelConfig, server: ServerConfig): ModelTiming {
  const costs = modelCostsOn(server, model);
  return {
    loadMs: costs.loadSeconds * 1000,
    unloadMs: costs.unloadSeconds * 1000,
    prefillTokensPerSecond: costs.prefillTokensPerSecond,
    decodeTokensPerSecond: costs.decodeTokensPerSecond,
    sizeGiB: (numCtx) => residentMemoryGiB(model, server.parallel, numCtx),
  };
}
