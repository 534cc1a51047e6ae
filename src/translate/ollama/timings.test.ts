import { describe, expect, it } from 'vitest';
import { timingsOf } from './timings.ts';

const base = { total_duration: 2e9, load_duration: 0, prompt_eval_duration: 5e7, eval_duration: 1e9 };

describe('timingsOf: the tokens prefill was spent on', () => {
  it('takes the cached tokens out of prompt_eval_count (current Ollama counts them in)', () => {
    const t = timingsOf({ ...base, prompt_eval_count: 6000, prompt_eval_cached_count: 5900 });
    expect(t).toMatchObject({ prefillMs: 50, prefillTokens: 100 });
  });

  it('takes prompt_eval_count as evaluated when no cached count is sent (older Ollama, or no hit)', () => {
    expect(timingsOf({ ...base, prompt_eval_count: 100 }).prefillTokens).toBe(100);
    expect(timingsOf(base).prefillTokens).toBeUndefined();
  });
});
