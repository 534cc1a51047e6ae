// The engine's model-call contract against a real Ollama, through a gateway composed in process
// on real time and real sockets, e.g.
//   OLLAMA_URL=http://127.0.0.1:11434 OLLAMA_MODEL=qwen2.5:0.5b npx vitest run test/contract/engine-real.contract.test.ts
// The model must be pulled already and support tools (qwen2.5 does). Without OLLAMA_URL every
// test of the contract is reported skipped with the reason (never dropped silently).
import { composeGateway } from '../../src/app.ts';
import { FleetSchema } from '../../src/config/index.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { openUsageStore } from '../../src/store/index.ts';
import { gatewayConnection } from '../../src/engine/gateway-connection.ts';
import { engineModelsContract } from './engine-models-contract.ts';

const url = process.env.OLLAMA_URL ?? '';
const model = process.env.OLLAMA_MODEL ?? 'qwen2.5:0.5b';

const SKIP =
  'OLLAMA_URL is not set: no real Ollama to run the engine contract against (e.g. OLLAMA_URL=http://127.0.0.1:11434 OLLAMA_MODEL=qwen2.5:0.5b)';
// the default reporter lists no test of a passing file: say it once where `npm test` shows it
if (url === '') console.info(`engine-real.contract: skipped: ${SKIP}`);

engineModelsContract(
  url === '' ? 'real Ollama (not configured)' : `real Ollama at ${url} (${model})`,
  async () => {
    const fleet = FleetSchema.parse({
      servers: [{ name: 'real', url, memoryGiB: 8 }],
      models: [{ name: model, paramsB: 1, memoryGiB: 1, contextTokens: 4096, servers: ['real'] }],
      aliases: { engine: [model] },
    });
    const store = openUsageStore(':memory:');
    const { gateway, scheduler } = await composeGateway({ fleet, clock: systemClock, env: {}, store });
    return {
      connection: gatewayConnection({ app: gateway }),
      alias: 'engine',
      until: (p) => p,
      close: () => {
        (scheduler as { close?: () => void }).close?.();
        store.close();
      },
    };
  },
  {
    timeoutMs: 300_000,
    ...(url === '' ? { skip: SKIP } : {}),
  },
);
