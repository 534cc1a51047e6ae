// The run's knowledge store embeds notes only when the fleet names an embedding model
// (`knowledge.embeddingModel`): then through the gateway's Ollama face (POST /api/embed), so the
// embedding model is scheduled and counted like any other call. Without one there is no embedder
// and the store ranks by BM25 alone: no vector is ever made up.
import { OllamaClient } from '../backends/ollama-client.ts';
import { ollamaEmbedder } from '../backends/ollama-embedder.ts';
import type { FleetConfig } from '../config/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Embedder } from '../store/knowledge-note.ts';

export interface KnowledgeEmbedderOptions {
  /** the gateway's fetch (in process) */
  fetch: typeof fetch;
  runId: string;
  clock: Clock;
}

export function knowledgeEmbedder(fleet: FleetConfig, o: KnowledgeEmbedderOptions): Embedder | undefined {
  const k = fleet.knowledge;
  if (k?.embeddingModel === undefined) return undefined;
  const client = new OllamaClient({
    baseUrl: 'http://orchestra.run',
    fetch: o.fetch,
    clock: o.clock,
    // counted for the run, under an agent of its own
    headers: { 'x-orchestra-session': o.runId, 'x-orchestra-agent': 'knowledge' },
  });
  return ollamaEmbedder(
    client,
    k.embeddingModel,
    k.dimensions === undefined ? {} : { dimensions: k.dimensions },
  );
}
