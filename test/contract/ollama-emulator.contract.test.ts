// The shared Ollama contract against the emulator, in process on a manual clock: a 26 s load of a
// 32B model is an instant here.
import { resolve } from 'node:path';
import { loadFleetFile } from '../../src/config/index.ts';
import { createEmulator } from '../../src/emulator/emulator-app.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { ollamaContract } from './ollama-contract.ts';

ollamaContract('emulator (in process, manual clock)', () => {
  const fleet = loadFleetFile(resolve(import.meta.dirname, '../../examples/mac-mini.yaml'));
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const server = fleet.servers.find((s) => s.name === 'mac-mini')!;
  const emulator = createEmulator({ server, models: fleet.models, clock });
  return Promise.resolve({
    baseUrl: server.url,
    fetch: (input: Request | string | URL, init?: RequestInit) => emulator.fetch(input, init),
    model: 'qwen-fast',
    otherModel: 'qwen2.5-coder:32b-instruct',
    advance: (ms: number) => clock.advance(ms),
    close: () => Promise.resolve(emulator.close()),
  });
});
