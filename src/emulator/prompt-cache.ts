// Ollama (llama.cpp) keeps each parallel slot's KV cache and reuses the longest common prefix of
// the next prompt, so a follow-up turn prefills only what is new. The emulator tracks a prompt as
// a sequence of parts (messages) with token counts; an unload loses every slot's cache, which is
// the re-prefill cost of a swap (DESIGN.md "Cost model").

export interface PromptPart {
  /** identity of the part's content (e.g. a hash of role and text) */
  key: string;
  tokens: number;
}

/** tokens of `cache` that `parts` starts with (whole parts only) */
export function commonPrefixTokens(cache: readonly PromptPart[], parts: readonly PromptPart[]): number {
  let tokens = 0;
  for (let i = 0; i < cache.length && i < parts.length; i++) {
    if (cache[i]!.key !== parts[i]!.key) break;
    tokens += parts[i]!.tokens;
  }
  return tokens;
}

/** the free slot whose cache shares the longest prefix with `parts` (lowest index on ties) */
export function pickSlot(
  caches: readonly (readonly PromptPart[])[],
  free: readonly number[],
  parts: readonly PromptPart[],
): { slot: number; cachedTokens: number } {
  let best = { slot: free[0]!, cachedTokens: -1 };
  for (const slot of free) {
    const cached = commonPrefixTokens(caches[slot] ?? [], parts);
    if (cached > best.cachedTokens) best = { slot, cachedTokens: cached };
  }
  return { slot: best.slot, cachedTokens: Math.max(0, best.cachedTokens) };
}
