// Models loaded when the gateway starts are handed to the scheduler: pinned with keep_alive -1, so
// Ollama's own 5-minute timer cannot unload them while the scheduler believes them resident.
import { describe, expect, it } from 'vitest';
import { e2eFleet, gatewayHarness } from './gateway-harness.ts';

describe('residency at start', () => {
  it('pins the models found loaded, so they are still loaded after Ollama keep-alive would expire', async () => {
    const fleet = e2eFleet();
    fleet.servers[0]!.resident = ['qwen2.5-coder:32b'];
    const h = await gatewayHarness({ fleet });
    try {
      const alpha = h.emulators.get('alpha')!;
      expect(alpha.state().runners.map((r) => r.name)).toEqual(['qwen2.5-coder:32b']);
      await h.clock.advance(6 * 60_000);
      const runners = alpha.state().runners;
      expect(runners.map((r) => r.name)).toEqual(['qwen2.5-coder:32b']);
      expect(runners[0]!.keepAliveMs).toBe(Infinity);
      const queue = (await (await h.fetch('http://gateway.test/admin/queue')).json()) as {
        servers: Array<{ name: string; resident: string[] }>;
      };
      expect(queue.servers.find((s) => s.name === 'alpha')?.resident).toEqual(['qwen2.5-coder:32b']);
    } finally {
      h.close();
    }
  });
});
