// Memory a model needs on a server: weights plus the KV cache of every parallel slot at the
// configured context (DESIGN.md "Cost model": W + b * C * kv + o). GiB throughout.
import type { ModelConfig } from './schema.ts';

const GIB = 1024 ** 3;

// 2 * layers * kv_heads * head_dim * 2 bytes (f16) for common sizes (Qwen2.5 / Llama shapes).
const KV_BY_PARAMS: ReadonlyArray<readonly [paramsB: number, bytes: number]> = [
  [1.5, 2 * 28 * 2 * 128 * 2],
  [3, 2 * 36 * 2 * 128 * 2],
  [7, 2 * 28 * 4 * 128 * 2],
  [14, 2 * 48 * 8 * 128 * 2],
  [32, 2 * 64 * 8 * 128 * 2],
  [70, 2 * 80 * 8 * 128 * 2],
];

/** billions of parameters, given or estimated from Q4_K_M weights (about 0.62 GB per billion) */
export function paramsBOf(model: Pick<ModelConfig, 'paramsB' | 'memoryGiB'>): number {
  return model.paramsB ?? ((model.memoryGiB ?? 0) * GIB) / 1e9 / 0.62;
}

export function kvBytesPerTokenOf(
  model: Pick<ModelConfig, 'paramsB' | 'memoryGiB' | 'kvBytesPerToken'>,
): number {
  if (model.kvBytesPerToken !== undefined) return model.kvBytesPerToken;
  const p = paramsBOf(model);
  let best = KV_BY_PARAMS[0]!;
  for (const row of KV_BY_PARAMS)
    if (Math.abs(Math.log(row[0] / p)) < Math.abs(Math.log(best[0] / p))) best = row;
  return best[1];
}

/** GiB resident when loaded with `slots` parallel contexts of `contextTokens` each */
export function residentMemoryGiB(
  model: Pick<ModelConfig, 'paramsB' | 'memoryGiB' | 'kvBytesPerToken' | 'contextTokens'>,
  slots: number,
  contextTokens: number = model.contextTokens,
): number {
  return (model.memoryGiB ?? 0) + (slots * contextTokens * kvBytesPerTokenOf(model)) / GIB;
}
