// An embedding model on an Ollama server (POST /api/embed, Ollama's documented API), in the shape
// the knowledge store takes (store/knowledge-note.ts `Embedder`): one vector per input, in order.
import type { OllamaClient } from './ollama-client.ts';
import type { OllamaKeepAlive } from '../protocol/ollama/index.ts';

export interface OllamaEmbedderOptions {
  /** vector length for models that can shorten theirs (Ollama's `dimensions`) */
  dimensions?: number;
  keepAlive?: OllamaKeepAlive;
  /** at most this many inputs per request (default 32) */
  batchSize?: number;
}

export function ollamaEmbedder(
  client: OllamaClient,
  model: string,
  options: OllamaEmbedderOptions = {},
): { model: string; embed(texts: readonly string[], signal?: AbortSignal): Promise<number[][]> } {
  const batch = options.batchSize ?? 32;
  return {
    model,
    async embed(texts, signal) {
      const out: number[][] = [];
      for (let i = 0; i < texts.length; i += batch) {
        const res = await client.embed(
          {
            model,
            input: texts.slice(i, i + batch),
            ...(options.dimensions === undefined ? {} : { dimensions: options.dimensions }),
            ...(options.keepAlive === undefined ? {} : { keep_alive: options.keepAlive }),
          },
          signal ? { signal } : {},
        );
        out.push(...res.embeddings);
      }
      return out;
    },
  };
}
