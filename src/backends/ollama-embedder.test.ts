import { describe, expect, it } from 'vitest';
import { runVirtual } from '../lib/clock.ts';
import { openKnowledgeStore } from '../store/knowledge-store.ts';
import { harness, macMini } from '../emulator/testing/emulator-harness.ts';
import { OllamaClient } from './ollama-client.ts';
import { ollamaEmbedder } from './ollama-embedder.ts';

describe('ollamaEmbedder', () => {
  it('embeds through /api/embed in batches, one vector per input, in order', async () => {
    const h = harness(macMini());
    const requests: unknown[] = [];
    const client = new OllamaClient({
      baseUrl: 'http://emulator.test',
      clock: h.clock,
      fetch: (url, init) => {
        requests.push(JSON.parse(init?.body as string));
        return h.emulator.fetch(url, init);
      },
    });
    const embedder = ollamaEmbedder(client, 'qwen-fast', { batchSize: 2, dimensions: 16 });
    const vectors = await runVirtual(h.clock, embedder.embed(['a', 'b', 'c']));
    expect(vectors).toHaveLength(3);
    expect(vectors.every((v) => v.length === 16)).toBe(true);
    expect(requests).toEqual([
      { model: 'qwen-fast', input: ['a', 'b'], dimensions: 16 },
      { model: 'qwen-fast', input: ['c'], dimensions: 16 },
    ]);
    // the same text gets the same vector from the server
    expect((await runVirtual(h.clock, embedder.embed(['c'])))[0]).toEqual(vectors[2]);
  });

  it('gives the knowledge store hybrid ranking over the emulated fleet', async () => {
    const h = harness(macMini());
    const client = new OllamaClient({
      baseUrl: 'http://emulator.test',
      clock: h.clock,
      fetch: (u, i) => h.emulator.fetch(u, i),
    });
    const store = openKnowledgeStore({
      path: ':memory:',
      project: 'p',
      clock: h.clock,
      embedder: ollamaEmbedder(client, 'qwen-fast'),
    });
    await runVirtual(
      h.clock,
      store.add({ type: 'decision', title: 'Use SQLite', body: 'for runs', agent: 'a' }),
    );
    const r = await runVirtual(h.clock, store.search('sqlite'));
    expect(r.ranking).toBe('hybrid');
    expect(r.hits[0]).toMatchObject({ keywordRank: 1, vectorRank: 1 });
    store.close();
  });

  it('reports an unknown embedding model as the client error, and the store keeps the note', async () => {
    const h = harness(macMini());
    const client = new OllamaClient({
      baseUrl: 'http://emulator.test',
      clock: h.clock,
      fetch: (u, i) => h.emulator.fetch(u, i),
    });
    const store = openKnowledgeStore({
      path: ':memory:',
      project: 'p',
      clock: h.clock,
      embedder: ollamaEmbedder(client, 'no-such-model'),
    });
    const added = await runVirtual(h.clock, store.add({ type: 'note', title: 'x', body: '', agent: 'a' }));
    expect(added.warning).toMatch(/not embedded with no-such-model: .*no-such-model/);
    expect(store.count()).toBe(1);
    store.close();
  });
});
