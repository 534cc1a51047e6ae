import { describe, expect, it } from 'vitest';
import { ModelSchema } from '../config/schema.ts';
import type { ChatEvent, ChatRequest } from '../core/chat.ts';
import { AppError } from '../core/errors/index.ts';
import { sequentialIds } from '../lib/ids.ts';
import { ollamaBackend } from './ollama-backend.ts';
import { OllamaClient } from './ollama-client.ts';
import { ndjsonResponse, scriptedFetch, type Handler } from './testing/scripted-fetch.ts';

const created_at = '2025-01-01T00:00:00Z';
const model = ModelSchema.parse({
  name: 'qwen-fast',
  upstreamName: 'qwen2.5:7b',
  contextTokens: 32768,
  servers: ['mini'],
});
const final = {
  model: 'qwen2.5:7b',
  created_at,
  message: { role: 'assistant', content: '' },
  done: true,
  done_reason: 'stop',
  total_duration: 3e9,
  load_duration: 1e9,
  prompt_eval_count: 10,
  prompt_eval_duration: 5e8,
  eval_count: 4,
  eval_duration: 1.5e9,
};

function setup(handler: Handler, m = model) {
  const f = scriptedFetch(handler);
  const notes: string[] = [];
  const backend = ollamaBackend({
    client: new OllamaClient({ baseUrl: 'http://mini:11434', fetch: f.fetch }),
    model: m,
    keepAlive: -1,
    server: 'mini',
    ids: sequentialIds(),
    onNote: (n) => notes.push(n),
  });
  return { backend, calls: f.calls, notes };
}

const request = (partial: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'qwen-fast',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
  stream: false,
  meta: { requestId: 'r1' },
  ...partial,
});

async function collect(it: AsyncIterable<ChatEvent>): Promise<ChatEvent[]> {
  const out: ChatEvent[] = [];
  for await (const e of it) out.push(e);
  return out;
}

describe('ollamaBackend', () => {
  it('streams /api/chat with the configured num_ctx, keep_alive and upstream name', async () => {
    const { backend, calls } = setup(() =>
      ndjsonResponse({
        lines: [
          { model: 'qwen2.5:7b', created_at, message: { role: 'assistant', content: 'Hello' }, done: false },
          final,
        ],
      }),
    );
    const events = await collect(backend.chat(request({ temperature: 0.1 })));
    expect(calls[0]!.path).toBe('/api/chat');
    expect(calls[0]!.body).toEqual({
      model: 'qwen2.5:7b',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      options: { num_ctx: 32768, temperature: 0.1 },
      keep_alive: -1,
    });
    expect(events).toEqual([
      { type: 'start', model: 'qwen2.5:7b', server: 'mini' },
      { type: 'text', delta: 'Hello' },
      {
        type: 'done',
        finishReason: 'stop',
        usage: { inputTokens: 10, outputTokens: 4 },
        timings: { totalMs: 3000, loadMs: 1000, prefillMs: 500, prefillTokens: 10, decodeMs: 1500 },
      },
    ]);
  });

  it('drops format when tools are sent and reports it', async () => {
    const { backend, calls, notes } = setup(() => ndjsonResponse({ lines: [final] }));
    await collect(
      backend.chat(
        request({ tools: [{ name: 't', parameters: { type: 'object' } }], responseFormat: { type: 'json' } }),
      ),
    );
    const body = calls[0]!.body as Record<string, unknown>;
    expect(body.tools).toHaveLength(1);
    expect(body).not.toHaveProperty('format');
    expect(notes).toHaveLength(1);
  });

  it('abort mid-stream aborts the fetch and ends with cancelled', async () => {
    let fetchSignal: AbortSignal | undefined;
    const { backend } = setup((_call, signal) => {
      fetchSignal = signal;
      return ndjsonResponse({
        lines: [
          { model: 'qwen2.5:7b', created_at, message: { role: 'assistant', content: 'a' }, done: false },
        ],
        end: 'hang',
        signal,
      });
    });
    const ac = new AbortController();
    const seen: string[] = [];
    const err = await (async () => {
      for await (const e of backend.chat(request(), { signal: ac.signal })) {
        seen.push(e.type);
        if (e.type === 'text') ac.abort();
      }
    })().catch((e: unknown) => e);
    expect(seen).toEqual(['start', 'text']);
    expect(fetchSignal?.aborted).toBe(true);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('cancelled');
  });

  it('stopping early cancels the upstream body', async () => {
    let cancelled = false;
    const { backend } = setup(
      () =>
        new Response(
          new ReadableStream<Uint8Array>({
            pull(c) {
              c.enqueue(
                new TextEncoder().encode(
                  JSON.stringify({
                    model: 'm',
                    created_at,
                    message: { role: 'assistant', content: 'x' },
                    done: false,
                  }) + '\n',
                ),
              );
            },
            cancel() {
              cancelled = true;
            },
          }),
        ),
    );
    for await (const e of backend.chat(request())) if (e.type === 'text') break;
    expect(cancelled).toBe(true);
  });

  it('a model with toolProtocol "prompt" and tools says it is not built', async () => {
    const promptModel = ModelSchema.parse({ name: 'fg', servers: ['mini'], toolProtocol: 'prompt' });
    const { backend, calls } = setup(() => ndjsonResponse({ lines: [final] }), promptModel);
    const err = await collect(backend.chat(request({ tools: [{ name: 't', parameters: {} }] }))).catch(
      (e: unknown) => e,
    );
    expect((err as AppError).code).toBe('not_implemented');
    expect(calls).toHaveLength(0);
  });

  it('a 404 from Ollama surfaces as model_not_found before any event', async () => {
    const { backend } = setup(
      () =>
        new Response(JSON.stringify({ error: 'model "qwen2.5:7b" not found, try pulling it first' }), {
          status: 404,
        }),
    );
    const err = await collect(backend.chat(request())).catch((e: unknown) => e);
    expect((err as AppError).code).toBe('model_not_found');
  });
});
