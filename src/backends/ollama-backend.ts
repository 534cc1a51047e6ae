// The Ollama backend of the request path: a core ChatRequest in, a core ChatEvent stream out,
// over one server's OllamaClient. Always streams from Ollama (a non-streaming client is served by
// folding the events), so the first byte, cancellation and timings behave the same either way.
import type { ModelConfig } from '../config/index.ts';
import type { ChatEvent, ChatRequest } from '../core/chat.ts';
import { AppError, toAppError } from '../core/errors/index.ts';
import { randomIds, type IdGenerator } from '../lib/ids.ts';
import type { OllamaChatRequestInput, OllamaKeepAlive } from '../protocol/ollama/index.ts';
import { createOllamaEventDecoder } from '../translate/ollama/ollama-event-decoder.ts';
import { toOllamaChatRequest } from '../translate/ollama/to-ollama-chat.ts';
import type { OllamaClient } from './ollama-client.ts';
import { upstreamNameOf } from './upstream-name.ts';

export interface OllamaBackendOptions {
  client: OllamaClient;
  model: ModelConfig;
  /**
   * keep_alive sent with every request: seconds or a duration. The scheduler decides unloads, so
   * callers normally pass -1 (keep loaded); Ollama's default timer applies only when omitted.
   */
  keepAlive?: OllamaKeepAlive;
  /** server name, reported in the start event */
  server?: string;
  /** ids for tool calls Ollama sends without one */
  ids?: IdGenerator;
  /** receives what the translation dropped or approximated (e.g. format dropped with tools) */
  onNote?: (note: string) => void;
}

export interface OllamaBackend {
  chat(request: ChatRequest, options?: { signal?: AbortSignal }): AsyncIterable<ChatEvent>;
  /** /api/embed with the model's context (num_ctx) and keep_alive, as every call sends them */
  embed(
    request: { input: string[]; dimensions?: number; truncate?: boolean },
    options?: { signal?: AbortSignal },
  ): Promise<{ embeddings: number[][]; inputTokens: number; totalMs: number; loadMs: number }>;
}

export function ollamaBackend(options: OllamaBackendOptions): OllamaBackend {
  const { client } = options;
  const ids = options.ids ?? randomIds;
  return {
    // not a generator of its own: the client's stream is the one async layer between Ollama's
    // body and the caller (a layer per stage costs promises and iterator results on every token's
    // way through the gateway). A request that cannot be sent fails when iterated, as a stream would.
    chat(request, callOptions = {}) {
      let wire: OllamaChatRequestInput;
      try {
        wire = wireRequest(request, options);
      } catch (e) {
        return failing(toAppError(e));
      }
      const decoder = createOllamaEventDecoder(
        options.server === undefined ? { ids } : { ids, server: options.server },
      );
      return client.chatStreamVia(
        wire,
        callOptions.signal === undefined ? {} : { signal: callOptions.signal },
        (chunk) => decoder.push(chunk),
      );
    },
    async embed(request, callOptions = {}) {
      const r = await client.embed(
        {
          model: upstreamNameOf(options.model),
          input: request.input,
          ...(request.dimensions !== undefined ? { dimensions: request.dimensions } : {}),
          ...(request.truncate !== undefined ? { truncate: request.truncate } : {}),
          options: { num_ctx: options.model.contextTokens },
          ...(options.keepAlive !== undefined ? { keep_alive: options.keepAlive } : {}),
        },
        callOptions.signal === undefined ? {} : { signal: callOptions.signal },
      );
      return {
        embeddings: r.embeddings,
        inputTokens: r.prompt_eval_count ?? 0,
        totalMs: (r.total_duration ?? 0) / 1e6,
        loadMs: (r.load_duration ?? 0) / 1e6,
      };
    },
  };
}

/** the request as Ollama's /api/chat takes it; AppError for what cannot be sent */
function wireRequest(request: ChatRequest, options: OllamaBackendOptions): OllamaChatRequestInput {
  const { model } = options;
  if (model.toolProtocol === 'prompt' && (request.tools?.length ?? 0) > 0)
    throw new AppError(
      'not_implemented',
      `model "${model.name}" has toolProtocol "prompt": describing tools in the prompt is not built yet; use toolProtocol "native"`,
      { path: model.name },
    );
  const translateOptions: Parameters<typeof toOllamaChatRequest>[1] = {
    contextTokens: model.contextTokens,
    upstreamModel: upstreamNameOf(model),
    stream: true,
    thinking: model.thinking,
  };
  if (options.keepAlive !== undefined) translateOptions.keepAlive = options.keepAlive;
  const { request: wire, notes } = toOllamaChatRequest(request, translateOptions);
  for (const note of notes) options.onNote?.(note);
  return wire;
}

/** a stream that fails with `error` when read */
function failing(error: AppError): AsyncIterable<never> {
  return {
    [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(error) }),
  };
}
