// Ollama reports durations in nanoseconds; Orchestra's Timings are in milliseconds.
import type { Timings } from '../../core/chat.ts';
import type { OllamaMetrics } from '../../protocol/ollama/index.ts';

const NS_PER_MS = 1e6;

export function nsToMs(ns: number | undefined): number {
  return ns === undefined ? 0 : ns / NS_PER_MS;
}

/**
 * The timings of one Ollama response (final chunk or non-streamed body), in ms. A field Ollama
 * left out counts as 0 (e.g. load_duration when the model was already loaded on older versions).
 */
export function timingsOf(response: OllamaMetrics): Timings {
  const timings: Timings = {
    totalMs: nsToMs(response.total_duration),
    loadMs: nsToMs(response.load_duration),
    prefillMs: nsToMs(response.prompt_eval_duration),
    decodeMs: nsToMs(response.eval_duration),
  };
  // Current Ollama counts the cached tokens in prompt_eval_count and names them apart; some older
  // versions counted the evaluated tokens alone (and sent no cached count): either way this
  // difference is what prompt_eval_duration was spent on, the figure the prefill rate is learned from
  if (response.prompt_eval_count !== undefined)
    timings.prefillTokens = Math.max(
      0,
      response.prompt_eval_count - (response.prompt_eval_cached_count ?? 0),
    );
  return timings;
}

/** true when the response carries Ollama's metrics (only the final chunk of a stream does) */
export function hasMetrics(response: OllamaMetrics): boolean {
  return response.total_duration !== undefined || response.eval_count !== undefined;
}
