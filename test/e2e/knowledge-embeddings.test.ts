// The knowledge store's embeddings through the gateway: ollamaEmbedder with the OllamaClient
// pointed at the gateway's /api/embed, so the embedding model is scheduled like any other.
import { afterEach, describe, expect, it } from 'vitest';
import { OllamaClient } from '../../src/backends/ollama-client.ts';
import { ollamaEmbedder } from '../../src/backends/ollama-embedder.ts';
import { openKnowledgeStore } from '../../src/store/knowledge-store.ts';
import { BASE, e2eFleet, gatewayHarness, type GatewayHarness } from './gateway-harness.ts';

let h: GatewayHarness;
afterEach(() => h.close());

describe('knowledge store embeddings through the gateway', () => {
  it('embeds notes and queries with the fleet’s embedding model, hybrid ranking', async () => {
    h = await gatewayHarness({
      fleet: e2eFleet({
        servers: [{ name: 'alpha', url: 'http://alpha.test:11434', profile: 'm4-32', memoryGiB: 21.3 }],
        models: [
          {
            name: 'nomic-embed-text',
            paramsB: 0.1,
            memoryGiB: 0.3,
            contextTokens: 2048,
            servers: ['alpha'],
            loadSeconds: 2,
          },
        ],
        aliases: { embedder: ['nomic-embed-text'] },
      }),
    });
    const client = new OllamaClient({ baseUrl: BASE, fetch: h.fetch });
    const store = openKnowledgeStore({
      path: ':memory:',
      project: 'p',
      embedder: ollamaEmbedder(client, 'embedder'),
    });
    const added = await h.until(
      store.add({ type: 'decision', title: 'Parser', body: 'recursive descent', agent: 'a' }),
    );
    expect(added.warning).toBeUndefined();
    const r = await h.until(store.search('parser'));
    expect(r.ranking).toBe('hybrid');
    expect(r.hits[0]).toMatchObject({ keywordRank: 1, vectorRank: 1 });
    expect(h.store.recent(10).map((row) => [row.api, row.model, row.status])).toEqual([
      ['ollama', 'nomic-embed-text', 200],
      ['ollama', 'nomic-embed-text', 200],
    ]);
    store.close();
  });
});
