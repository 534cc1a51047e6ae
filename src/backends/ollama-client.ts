// A client for Ollama's native API. fetch and the clock are injected so tests can point it at the
// emulator's Hono app on a manual clock. Every call takes an AbortSignal; every failure is an
// AppError that says whether a retry can help. Health and inventory use only /api/version,
// /api/tags, /api/ps and /api/show: this client never sends a completion to check a server.
import type { z } from 'zod';
import { AppError } from '../core/errors/index.ts';
import { systemClock, type Clock } from '../lib/clock.ts';
import { NdjsonError } from '../lib/ndjson.ts';
import { takePushBody } from '../lib/push-body.ts';
import { OllamaChunkStream } from './ollama-chunk-stream.ts';
import {
  OllamaChatResponseSchema,
  OllamaEmbedResponseSchema,
  OllamaGenerateResponseSchema,
  OllamaPsResponseSchema,
  OllamaShowResponseSchema,
  OllamaTagsResponseSchema,
  OllamaVersionResponseSchema,
  type OllamaChatRequestInput,
  type OllamaChatResponse,
  type OllamaEmbedRequest,
  type OllamaEmbedResponse,
  type OllamaGenerateRequestInput,
  type OllamaGenerateResponse,
  type OllamaKeepAlive,
  type OllamaPsResponse,
  type OllamaShowResponse,
  type OllamaTagsResponse,
  type OllamaVersionResponse,
} from '../protocol/ollama/index.ts';
import { errorFromFailure, errorFromResponse, type ErrorContext } from './ollama-errors.ts';
import { validateChunk, validateResponse } from './ollama-response.ts';
import { isPlainChatChunk } from './plain-chat-chunk.ts';

export { timingsOf } from '../translate/ollama/timings.ts';

export interface OllamaClientOptions {
  /** e.g. http://127.0.0.1:11434 (a trailing slash is fine) */
  baseUrl: string;
  /** defaults to globalThis.fetch; the emulator's app.fetch in tests */
  fetch?: typeof fetch;
  /** measures load times the server does not report; defaults to the system clock */
  clock?: Clock;
  /** extra headers on every request (e.g. auth for a proxy in front of Ollama) */
  headers?: Record<string, string>;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface LoadOptions extends CallOptions {
  /** options.num_ctx to load with; a different value than the loaded runner's makes Ollama reload */
  numCtx?: number;
  /** seconds, or a duration like "5m"; negative keeps the model loaded until told otherwise */
  keepAlive?: OllamaKeepAlive;
}

export interface LoadResult {
  /** ms from request to loaded: Ollama's load_duration when reported, else measured on the clock */
  loadMs: number;
  response: OllamaChatResponse;
}

type Method = 'GET' | 'POST';

/** a stream's chunks as they come (the map of chatStream and generateStream) */
const each = <T>(chunk: T): T[] => [chunk];

export class OllamaClient {
  readonly baseUrl: string;
  readonly #fetch: typeof fetch;
  readonly #clock: Clock;
  readonly #headers: Record<string, string>;

  constructor(options: OllamaClientOptions) {
    this.baseUrl = normalizeBaseUrl(options.baseUrl);
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.#clock = options.clock ?? systemClock;
    this.#headers = { ...options.headers };
  }

  /** POST /api/chat without streaming. */
  async chat(request: OllamaChatRequestInput, options: CallOptions = {}): Promise<OllamaChatResponse> {
    const body = { ...request, stream: false };
    return this.#json('POST', '/api/chat', body, OllamaChatResponseSchema, options, request.model);
  }

  /** POST /api/chat streaming: the NDJSON chunks, the last one with done true and the metrics. */
  chatStream(request: OllamaChatRequestInput, options: CallOptions = {}): AsyncIterable<OllamaChatResponse> {
    return this.chatStreamVia(request, options, each);
  }

  /**
   * chatStream's chunks, each turned into what `map` makes of it, in the same async layer: for a
   * caller that translates every chunk (the gateway's Ollama backend, on every token's way)
   */
  chatStreamVia<T>(
    request: OllamaChatRequestInput,
    options: CallOptions,
    map: (chunk: OllamaChatResponse) => Iterable<T>,
  ): AsyncIterable<T> {
    const body = { ...request, stream: true };
    return this.#stream(
      '/api/chat',
      body,
      OllamaChatResponseSchema,
      options,
      map,
      request.model,
      isPlainChatChunk,
    );
  }

  async generate(
    request: OllamaGenerateRequestInput,
    options: CallOptions = {},
  ): Promise<OllamaGenerateResponse> {
    const body = { ...request, stream: false };
    return this.#json('POST', '/api/generate', body, OllamaGenerateResponseSchema, options, request.model);
  }

  generateStream(
    request: OllamaGenerateRequestInput,
    options: CallOptions = {},
  ): AsyncIterable<OllamaGenerateResponse> {
    const body = { ...request, stream: true };
    return this.#stream('/api/generate', body, OllamaGenerateResponseSchema, options, each, request.model);
  }

  /** GET /api/ps: the models loaded now. */
  async ps(options: CallOptions = {}): Promise<OllamaPsResponse> {
    return this.#json('GET', '/api/ps', undefined, OllamaPsResponseSchema, options);
  }

  /** GET /api/tags: the models on disk. */
  async tags(options: CallOptions = {}): Promise<OllamaTagsResponse> {
    return this.#json('GET', '/api/tags', undefined, OllamaTagsResponseSchema, options);
  }

  async show(model: string, options: CallOptions = {}): Promise<OllamaShowResponse> {
    return this.#json('POST', '/api/show', { model }, OllamaShowResponseSchema, options, model);
  }

  async version(options: CallOptions = {}): Promise<OllamaVersionResponse> {
    return this.#json('GET', '/api/version', undefined, OllamaVersionResponseSchema, options);
  }

  async embed(request: OllamaEmbedRequest, options: CallOptions = {}): Promise<OllamaEmbedResponse> {
    return this.#json('POST', '/api/embed', request, OllamaEmbedResponseSchema, options, request.model);
  }

  /**
   * Loads `model` by a chat with no messages (Ollama answers done_reason "load"). Any 500 here is
   * a load failure (retryable elsewhere).
   */
  async load(model: string, options: LoadOptions = {}): Promise<LoadResult> {
    const started = this.#clock.now();
    const body: OllamaChatRequestInput = { model, messages: [], stream: false };
    if (options.numCtx !== undefined) body.options = { num_ctx: options.numCtx };
    if (options.keepAlive !== undefined) body.keep_alive = options.keepAlive;
    const response = await this.#json(
      'POST',
      '/api/chat',
      body,
      OllamaChatResponseSchema,
      options,
      model,
      true,
    );
    if (response.done_reason !== undefined && response.done_reason !== 'load')
      throw new AppError(
        'upstream_error',
        `loading "${model}" on ${this.baseUrl} answered done_reason "${response.done_reason}", expected "load"`,
        { path: model },
      );
    const measured = Math.max(0, this.#clock.now() - started);
    const reported = response.load_duration === undefined ? undefined : response.load_duration / 1e6;
    return { loadMs: reported ?? measured, response };
  }

  /** Unloads `model` now: a chat with no messages and keep_alive 0 (done_reason "unload"). */
  async unload(model: string, options: CallOptions = {}): Promise<OllamaChatResponse> {
    const body: OllamaChatRequestInput = { model, messages: [], keep_alive: 0, stream: false };
    return this.#json('POST', '/api/chat', body, OllamaChatResponseSchema, options, model);
  }

  async #json<S extends z.ZodType>(
    method: Method,
    path: string,
    body: unknown,
    schema: S,
    options: CallOptions,
    model?: string,
    loading = false,
  ): Promise<z.infer<S>> {
    const ctx = this.#context(method, path, model, loading);
    const res = await this.#send(method, path, body, options.signal, ctx);
    let data: unknown;
    try {
      data = await res.json();
    } catch (e) {
      const failure = errorFromFailure(e, ctx, options.signal);
      if (failure.code !== 'upstream_error') throw failure;
      throw new AppError(
        'upstream_error',
        `Ollama ${ctx.endpoint} on ${this.baseUrl} returned a body that is not JSON`,
        { cause: e, upstreamStatus: res.status },
      );
    }
    return validateResponse(schema, data, ctx);
  }

  /**
   * The chunks of a streamed call, each validated and passed through `map`, as one stream: one
   * promise per read of the body when pulled, none per item when pushed (lib/pushable.ts), where a
   * generator per stage (NDJSON lines, chunks, events) costs promises and iterator results on every
   * token's way through the gateway.
   */
  #stream<S extends z.ZodType, T>(
    path: string,
    body: unknown,
    schema: S,
    options: CallOptions,
    map: (chunk: z.infer<S>) => Iterable<T>,
    model?: string,
    /** a cheap check for chunks the schema would accept unchanged; the rest go through the schema */
    plain?: (value: unknown) => boolean,
  ): OllamaChunkStream<T> {
    const ctx = this.#context('POST', path, model, false);
    const { signal } = options;
    return new OllamaChunkStream<T>({
      open: async () => {
        const res = await this.#send('POST', path, body, signal, ctx);
        const push = takePushBody(res);
        if (push !== undefined) return push;
        if (res.body === null)
          throw new AppError('upstream_error', `Ollama ${ctx.endpoint} on ${this.baseUrl} sent no body`);
        return res.body;
      },
      decode(value, into) {
        const chunk = plain?.(value) === true ? (value as z.infer<S>) : validateChunk(schema, value, ctx);
        for (const t of map(chunk)) into.push(t);
        return (chunk as { done?: boolean }).done === true;
      },
      failure: (e) =>
        e instanceof NdjsonError
          ? new AppError('upstream_error', `Ollama ${ctx.endpoint} on ${this.baseUrl}: ${e.message}`, {
              cause: e,
            })
          : errorFromFailure(e, ctx, signal),
      closedEarly: () =>
        signal?.aborted === true
          ? errorFromFailure(signal.reason, ctx, signal)
          : new AppError(
              'upstream_unavailable',
              `Ollama ${ctx.endpoint} on ${this.baseUrl} closed the stream before the final chunk (connection lost?)`,
            ),
    });
  }

  async #send(
    method: Method,
    path: string,
    body: unknown,
    signal: AbortSignal | undefined,
    ctx: ErrorContext,
  ): Promise<Response> {
    if (signal?.aborted === true) throw errorFromFailure(signal.reason, ctx, signal);
    const headers: Record<string, string> = { accept: 'application/json', ...this.#headers };
    const init: RequestInit = { method, headers };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    if (signal !== undefined) init.signal = signal;
    let res: Response;
    try {
      res = await this.#fetch(`${this.baseUrl}${path}`, init);
    } catch (e) {
      throw errorFromFailure(e, ctx, signal);
    }
    if (!res.ok) throw await errorFromResponse(res, ctx);
    return res;
  }

  #context(method: Method, path: string, model: string | undefined, loading: boolean): ErrorContext {
    const ctx: ErrorContext = {
      endpoint: `${method} ${path}`,
      baseUrl: this.baseUrl,
      now: this.#clock.now(),
      loading,
    };
    if (model !== undefined) ctx.model = model;
    return ctx;
  }
}

function normalizeBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError(
      'config_invalid',
      `Ollama base URL: expected a URL like http://127.0.0.1:11434, found "${raw}"`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new AppError('config_invalid', `Ollama base URL: expected http or https, found "${raw}"`);
  return url.toString().replace(/\/+$/, '');
}
