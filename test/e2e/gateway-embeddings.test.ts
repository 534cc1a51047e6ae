// Embeddings through the gateway with the official clients: OpenAI's /v1/embeddings (floats and the
// client's default base64) and Ollama's /api/embed, each through the scheduler (a lease on the
// embedding model's server, which loads it like any model), with a usage row per request.
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { BASE, e2eFleet, gatewayHarness, type GatewayHarness } from './gateway-harness.ts';

let h: GatewayHarness;
afterEach(() => h.close());

const fleet = () =>
  e2eFleet({
    servers: [
      { name: 'alpha', url: 'http://alpha.test:11434', profile: 'm4-32', memoryGiB: 21.3 },
      { name: 'cloud', url: 'https://api.anthropic.com', kind: 'anthropic', apiKeyEnv: 'TEST_UNSET_KEY' },
    ],
    models: [
      {
        name: 'nomic-embed-text',
        paramsB: 0.1,
        memoryGiB: 0.3,
        contextTokens: 2048,
        servers: ['alpha'],
        loadSeconds: 2,
      },
      { name: 'claude-haiku', servers: ['cloud'], contextTokens: 200000 },
    ],
    aliases: { embedder: ['nomic-embed-text'], 'cloud-only': ['claude-haiku'] },
  });

const norm = (v: number[]): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

describe('embeddings through the gateway', () => {
  it('openai client: /v1/embeddings, floats and base64, through the scheduler', async () => {
    h = await gatewayHarness({ fleet: fleet() });
    const openai = new OpenAI({ baseURL: `${BASE}/v1`, apiKey: 'k', fetch: h.fetch, maxRetries: 0 });
    const floats = await h.until(
      openai.embeddings.create({
        model: 'embedder',
        input: ['first text', 'second text'],
        encoding_format: 'float',
      }),
    );
    expect(floats.data.map((d) => d.index)).toEqual([0, 1]);
    expect(floats.data[0]!.embedding).toHaveLength(384);
    expect(norm(floats.data[0]!.embedding)).toBeCloseTo(1, 5);
    expect(floats.data[0]!.embedding).not.toEqual(floats.data[1]!.embedding);
    expect(floats.usage.prompt_tokens).toBeGreaterThan(0);
    // the client's default asks for base64 and decodes it: the same vector
    const decoded = await h.until(openai.embeddings.create({ model: 'embedder', input: 'first text' }));
    decoded.data[0]!.embedding.forEach((x, i) => expect(x).toBeCloseTo(floats.data[0]!.embedding[i]!, 5));
    // the scheduler placed it: it loaded the model on its server and holds it resident
    const queue = (await (await h.fetch(`${BASE}/admin/queue`)).json()) as {
      servers: Array<{ name: string; resident: string[] }>;
    };
    expect(queue.servers.find((x) => x.name === 'alpha')!.resident).toEqual(['nomic-embed-text']);
    expect(
      h.emulators
        .get('alpha')!
        .state()
        .runners.map((r) => r.name),
    ).toEqual(['nomic-embed-text']);
    const rows = h.store.recent(10);
    expect(rows.map((r) => [r.api, r.model, r.status, r.local])).toEqual([
      ['openai', 'nomic-embed-text', 200, true],
      ['openai', 'nomic-embed-text', 200, true],
    ]);
  });

  it('ollama client: /api/embed, one input or several', async () => {
    h = await gatewayHarness({ fleet: fleet() });
    const ollama = new Ollama({ host: BASE, fetch: h.fetch });
    const one = await h.until(ollama.embed({ model: 'embedder', input: 'hello' }));
    expect(one.embeddings).toHaveLength(1);
    expect(one.embeddings[0]).toHaveLength(384);
    const two = await h.until(ollama.embed({ model: 'nomic-embed-text', input: ['a', 'b'], dimensions: 64 }));
    expect(two.embeddings.map((e) => e.length)).toEqual([64, 64]);
    expect(two.load_duration).toBeGreaterThanOrEqual(0);
  });

  it('refuses what it cannot embed with a clear error in each face', async () => {
    h = await gatewayHarness({ fleet: fleet() });
    const openai = new OpenAI({ baseURL: `${BASE}/v1`, apiKey: 'k', fetch: h.fetch, maxRetries: 0 });
    await expect(
      h.until(openai.embeddings.create({ model: 'cloud-only', input: 'x' })),
    ).rejects.toMatchObject({
      status: 503,
      message: expect.stringContaining('claude-haiku: embeddings are served by Ollama servers only'),
    });
    await expect(
      h.until(openai.embeddings.create({ model: 'embedder', input: [1, 2, 3] })),
    ).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('token arrays are not supported'),
    });
    const ollama = new Ollama({ host: BASE, fetch: h.fetch });
    await expect(h.until(ollama.embed({ model: 'nope', input: 'x' }))).rejects.toMatchObject({
      status_code: 404,
    });
  });
});
