import { describe, expect, it } from 'vitest';
import { ManualClock } from '../lib/clock.ts';
import { probeServer } from './health.ts';
import { OllamaClient } from './ollama-client.ts';
import { jsonResponse, scriptedFetch } from './testing/scripted-fetch.ts';

describe('probeServer', () => {
  it('uses only /api/version and /api/ps and reports what is loaded', async () => {
    const clock = new ManualClock(0);
    const f = scriptedFetch(async (call) => {
      await clock.advance(25);
      if (call.path === '/api/version') return jsonResponse({ version: '0.12.3' });
      return jsonResponse({
        models: [
          {
            name: 'qwen2.5:7b',
            model: 'qwen2.5:7b',
            size: 5_000,
            size_vram: 4_000,
            digest: 'd',
            expires_at: '2026-01-01T00:05:00Z',
            context_length: 8192,
          },
        ],
      });
    });
    const h = await probeServer(new OllamaClient({ baseUrl: 'http://x:1', fetch: f.fetch }), { clock });
    expect(h).toMatchObject({ up: true, version: '0.12.3' });
    expect(h.loaded).toEqual([
      {
        name: 'qwen2.5:7b',
        sizeBytes: 5_000,
        vramBytes: 4_000,
        contextLength: 8192,
        expiresAt: Date.parse('2026-01-01T00:05:00Z'),
      },
    ]);
    expect(h.latencyMs).toBeGreaterThanOrEqual(25);
    expect(f.calls.map((c) => `${c.method} ${c.path}`).sort()).toEqual(['GET /api/ps', 'GET /api/version']);
  });

  it('reports down with the reason when the server is unreachable', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const client = new OllamaClient({
      baseUrl: 'http://x:1',
      fetch: () => Promise.reject(new TypeError('fetch failed', { cause: refused })),
    });
    const h = await probeServer(client, { clock: new ManualClock(0) });
    expect(h.up).toBe(false);
    expect(h.error).toMatchObject({ code: 'upstream_unavailable', retryable: true });
  });

  it('times out on the injected clock', async () => {
    const clock = new ManualClock(0);
    const f = scriptedFetch(
      (_call, signal) =>
        new Promise<Response>((_resolve, reject) => {
          signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
        }),
    );
    const probe = probeServer(new OllamaClient({ baseUrl: 'http://x:1', fetch: f.fetch }), {
      clock,
      timeoutMs: 2000,
    });
    await clock.advance(2000);
    const h = await probe;
    expect(h.up).toBe(false);
    expect(h.error?.code).toBe('upstream_timeout');
    expect(h.latencyMs).toBe(2000);
  });
});
