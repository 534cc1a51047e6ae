// The Ollama contract against a real Ollama. vitest.config.ts collects this file only when
// OLLAMA_URL is set (so `npm test` has no skipped tests without one), e.g.
//   OLLAMA_URL=http://127.0.0.1:11434 OLLAMA_MODEL=qwen2.5:0.5b npm test
// The model must be pulled already. OLLAMA_OTHER_MODEL optionally names a second one for load/unload.
import { describe } from 'vitest';
import { ollamaContract } from './ollama-contract.ts';

const url = process.env.OLLAMA_URL;

if (url === undefined || url === '')
  throw new Error(
    'test/contract/ollama-real.contract.test.ts needs OLLAMA_URL (the URL of a running Ollama)',
  );

describe('real Ollama', () => {
  ollamaContract(
    `real Ollama at ${url}`,
    () =>
      Promise.resolve({
        baseUrl: url,
        model: process.env.OLLAMA_MODEL ?? 'qwen2.5:0.5b',
        ...(process.env.OLLAMA_OTHER_MODEL ? { otherModel: process.env.OLLAMA_OTHER_MODEL } : {}),
        close: () => Promise.resolve(),
      }),
    { timeoutMs: 300_000, numCtx: 2048 },
  );
});
