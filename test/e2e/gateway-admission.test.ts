// Admission refusals from the real scheduler reach the client as 429 with Retry-After, in the
// caller's API envelope, after the chain has been tried.
import Anthropic from '@anthropic-ai/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { BASE, e2eFleet, gatewayHarness, type GatewayHarness } from './gateway-harness.ts';

let h: GatewayHarness;
afterEach(() => h.close());

describe('admission', () => {
  it('refuses with 429 and Retry-After when the predicted wait exceeds the cap', async () => {
    // loads take 30 s and 8 s: both models of the chain are over a 5 s cap
    h = await gatewayHarness({ fleet: e2eFleet({ scheduler: { admissionCapSeconds: 5 } }) });
    const res = await h.until(
      h.fetch(`${BASE}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'coder', messages: [{ role: 'user', content: 'x' }] }),
      }),
    );
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await res.json()).toMatchObject({ error: { code: 'rate_limited', type: 'rate_limit_error' } });
    expect(h.store.recent(1)[0]).toMatchObject({
      status: 429,
      errorCode: 'rate_limited',
      attempts: 2,
      fallbackUsed: true,
    });

    const anthropic = new Anthropic({ baseURL: BASE, apiKey: 'k', fetch: h.fetch, maxRetries: 0 });
    const err = await h.until(
      anthropic.messages
        .create({ model: 'coder', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })
        .catch((e: unknown) => e),
    );
    expect(err).toBeInstanceOf(Anthropic.RateLimitError);
  });
});
