// The engine's model-call contract against a real Ollama, through a gateway composed in process
// on real time and real sockets. vitest.config.ts collects this file only when OLLAMA_URL is set
// (so `npm test` has no skipped tests without one), e.g.
//   OLLAMA_URL=http://127.0.0.1:11434 OLLAMA_MODEL=qwen2.5:0.5b npx vitest run test/contract/engine-real.contract.test.ts
// The model must be pulled already and support tools (qwen2.5 does).
import { composeGateway } from '../../src/app.ts';
import { FleetSchema } from '../../src/config/index.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { openUsageStore } from '../../src/store/index.ts';
import { engineModelsContract } from './engine-models-contract.ts';

const url = process.env.OLLAMA_URL;
if (url === undefined || url === '')
  throw new Error(
    'test/contract/engine-real.contract.test.ts needs OLLAMA_URL (the URL of a running Ollama)',
  );
const model = process.env.OLLAMA_MODEL ?? 'qwen2.5:0.5b';

engineModelsContract(
  `real Ollama at ${url} (${model})`,
  async () => {
    const fleet = FleetSchema.parse({
      servers: [{ name: 'real', url, memoryGiB: 8 }],
      models: [{ name: model, paramsB: 1, memoryGiB: 1, contextTokens: 4096, servers: ['real'] }],
      aliases: { engine: [model] },
    });
    const store = openUsageStore(':memory:');
    const { gateway, scheduler } = await composeGateway({ fleet, clock: systemClock, env: {}, store });
    return {
      connection: {
        baseURL: 'http://gateway.local/v1',
        fetch: (input: string | URL | Request, init?: RequestInit) =>
          gateway.fetch(input instanceof Request ? input : new Request(input, init)),
      },
      alias: 'engine',
      until: (p) => p,
      close: () => {
        (scheduler as { close?: () => void }).close?.();
        store.close();
      },
    };
  },
  300_000,
);
