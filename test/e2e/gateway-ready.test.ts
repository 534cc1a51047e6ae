// /ready probes the servers (never a completion) and keeps the answer for 2 s of clock time, so
// unauthenticated callers cannot make the gateway probe every server on each request.
import { describe, expect, it } from 'vitest';
import { BASE, gatewayHarness } from './gateway-harness.ts';

describe('/ready', () => {
  it('reflects the servers, probed at most once per 2 s', async () => {
    const h = await gatewayHarness();
    try {
      const ready = async (): Promise<{ status: number; body: { status: string; reasons: string[] } }> => {
        const res = await h.fetch(`${BASE}/ready`);
        return { status: res.status, body: (await res.json()) as { status: string; reasons: string[] } };
      };
      expect((await ready()).body.status).toBe('ready');
      for (const e of h.emulators.values()) e.setFault({ down: true });
      expect((await ready()).body.status).toBe('ready'); // the cached answer
      await h.clock.advance(2000);
      const after = await ready();
      expect(after.status).toBe(503);
      expect(after.body.reasons).toHaveLength(h.emulators.size);
    } finally {
      h.close();
    }
  });
});
