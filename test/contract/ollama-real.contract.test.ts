// The Ollama contract against a real Ollama, only when OLLAMA_URL is set, e.g.
//   OLLAMA_URL=http://127.0.0.1:11434 OLLAMA_MODEL=qwen2.5:0.5b npx vitest run test/contract/ollama-real
// The model must be pulled already. OLLAMA_OTHER_MODEL optionally names a second one for load/unload.
import { describe } from 'vitest';
import { ollamaContract } from './ollama-contract.ts';

const url = process.env.OLLAMA_URL;

describe.runIf(url !== undefined && url !== '')('real Ollama', () => {
  ollamaContract(
    `real Ollama at ${url}`,
    () =>
      Promise.resolve({
        baseUrl: url!,
        model: process.env.OLLAMA_MODEL ?? 'qwen2.5:0.5b',
        ...(process.env.OLLAMA_OTHER_MODEL ? { otherModel: process.env.OLLAMA_OTHER_MODEL } : {}),
        close: () => Promise.resolve(),
      }),
    { timeoutMs: 300_000, numCtx: 2048 },
  );
});
