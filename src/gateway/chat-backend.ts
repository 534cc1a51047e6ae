// What the gateway needs from a backend (Ollama, Anthropic, OpenAI-compatible): a stream of core
// ChatEvents for a core ChatRequest, aborted through the signal.
import type { ModelConfig, ServerConfig } from '../config/index.ts';
import type { ChatEvent, ChatRequest } from '../core/chat.ts';

export interface ChatBackend {
  chat(request: ChatRequest, options: { signal: AbortSignal }): AsyncIterable<ChatEvent>;
  /** embeddings of each input; absent where the backend has none (the cloud backends here) */
  embed?(request: EmbedRequest, options: { signal: AbortSignal }): Promise<EmbedResult>;
}

export interface EmbedRequest {
  input: string[];
  dimensions?: number;
  /** cut inputs to the context instead of failing (Ollama's default) */
  truncate?: boolean;
}

export interface EmbedResult {
  embeddings: number[][];
  /** tokens read */
  inputTokens: number;
  /** ms in all, and of it loading the model */
  totalMs: number;
  loadMs: number;
}

export interface BackendResolver {
  /** the backend serving `model` on `server`; undefined when that server is disabled (no API key) */
  backendFor(server: ServerConfig, model: ModelConfig): ChatBackend | undefined;
  /** why `server` is disabled ("environment variable ANTHROPIC_API_KEY is not set"), for errors */
  disabledReason?(server: ServerConfig): string | undefined;
}

export const isLocalServer = (s: Pick<ServerConfig, 'kind'>): boolean => s.kind === 'ollama';
