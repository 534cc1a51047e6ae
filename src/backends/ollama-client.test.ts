import { describe, expect, it } from 'vitest';
import { AppError } from '../core/errors/index.ts';
import { ManualClock } from '../lib/clock.ts';
import { OllamaClient, timingsOf } from './ollama-client.ts';
import { jsonResponse, ndjsonResponse, scriptedFetch, type Handler } from './testing/scripted-fetch.ts';

const BASE = 'http://ollama.test:11434';
const created_at = '2024-07-22T20:33:28.123648Z';

const finalChunk = {
  model: 'llama3.2',
  created_at,
  message: { role: 'assistant', content: '' },
  done: true,
  done_reason: 'stop',
  total_duration: 4_883_583_458,
  load_duration: 1_334_875,
  prompt_eval_count: 26,
  prompt_eval_duration: 342_546_000,
  eval_count: 282,
  eval_duration: 4_535_599_000,
};

function client(handler: Handler, clock = new ManualClock(1_000_000)) {
  const f = scriptedFetch(handler);
  return { c: new OllamaClient({ baseUrl: `${BASE}/`, fetch: f.fetch, clock }), calls: f.calls, clock };
}

async function drain<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('OllamaClient requests', () => {
  it('chat sends stream false to /api/chat and exposes timings in ms', async () => {
    const { c, calls } = client(() =>
      jsonResponse({ ...finalChunk, message: { role: 'assistant', content: 'Hi' } }),
    );
    const r = await c.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }], stream: true });
    expect(calls[0]).toMatchObject({ method: 'POST', path: '/api/chat', body: { stream: false } });
    expect(calls[0]!.headers.get('content-type')).toBe('application/json');
    expect(r.message.content).toBe('Hi');
    expect(timingsOf(r)).toEqual({
      totalMs: 4883.583458,
      loadMs: 1.334875,
      prefillMs: 342.546,
      prefillTokens: 26,
      decodeMs: 4535.599,
    });
  });

  it('chatStream yields every chunk across arbitrary byte boundaries and stops at done', async () => {
    const lines = [
      { model: 'llama3.2', created_at, message: { role: 'assistant', content: 'Hé' }, done: false },
      { model: 'llama3.2', created_at, message: { role: 'assistant', content: 'llo 🦙' }, done: false },
      finalChunk,
    ];
    for (const chunkBytes of [1, 3, 7, 1000]) {
      const { c, calls } = client(() => ndjsonResponse({ lines, chunkBytes }));
      const chunks = await drain(c.chatStream({ model: 'llama3.2', messages: [] }));
      expect(calls[0]!.body).toMatchObject({ stream: true });
      expect(chunks.map((x) => x.message.content).join('')).toBe('Héllo 🦙');
      expect(chunks.at(-1)!.done).toBe(true);
    }
  });

  it('chatStreamVia maps every chunk in order; stopping early cancels the body', async () => {
    let cancelled = false;
    const enc = new TextEncoder();
    const token = { model: 'm', created_at, message: { role: 'assistant', content: 'x' }, done: false };
    const { c } = client(
      () =>
        new Response(
          new ReadableStream<Uint8Array>({
            pull(ctrl) {
              ctrl.enqueue(enc.encode(`${JSON.stringify(token)}\n${JSON.stringify(token)}\n`));
            },
            cancel() {
              cancelled = true;
            },
          }),
        ),
    );
    const seen: string[] = [];
    for await (const s of c.chatStreamVia({ model: 'm', messages: [] }, {}, (x) => [
      x.message.content,
      '|',
    ])) {
      seen.push(s);
      if (seen.length === 3) break;
    }
    expect(seen).toEqual(['x', '|', 'x']);
    expect(cancelled).toBe(true);
  });

  it('generate, generateStream, embed, show, tags, ps and version use their endpoints', async () => {
    const { c, calls } = client((call) => {
      switch (call.path) {
        case '/api/generate':
          return (call.body as { stream: boolean }).stream
            ? ndjsonResponse({
                lines: [
                  { model: 'm', created_at, response: 'a', done: false },
                  { model: 'm', created_at, response: '', done: true, done_reason: 'stop' },
                ],
              })
            : jsonResponse({ model: 'm', created_at, response: 'ab', done: true, done_reason: 'stop' });
        case '/api/embed':
          return jsonResponse({ model: 'e', embeddings: [[0.1, 0.2]] });
        case '/api/show':
          return jsonResponse({
            details: { family: 'qwen2' },
            capabilities: ['completion', 'tools'],
            model_info: { 'qwen2.context_length': 32768 },
          });
        case '/api/tags':
          return jsonResponse({ models: [{ name: 'm:latest', model: 'm:latest', size: 1, digest: 'abc' }] });
        case '/api/ps':
          return jsonResponse({ models: [] });
        case '/api/version':
          return jsonResponse({ version: '0.12.3' });
        default:
          return jsonResponse({ error: 'nope' }, 404);
      }
    });
    expect((await c.generate({ model: 'm', prompt: 'x' })).response).toBe('ab');
    expect((await drain(c.generateStream({ model: 'm', prompt: 'x' }))).length).toBe(2);
    expect((await c.embed({ model: 'e', input: 'x' })).embeddings).toEqual([[0.1, 0.2]]);
    expect((await c.show('m')).capabilities).toContain('tools');
    expect((await c.tags()).models[0]!.name).toBe('m:latest');
    expect((await c.ps()).models).toEqual([]);
    expect((await c.version()).version).toBe('0.12.3');
    expect(calls.map((x) => `${x.method} ${x.path}`)).toEqual([
      'POST /api/generate',
      'POST /api/generate',
      'POST /api/embed',
      'POST /api/show',
      'GET /api/tags',
      'GET /api/ps',
      'GET /api/version',
    ]);
    expect(calls[3]!.body).toEqual({ model: 'm' });
  });

  it('load sends empty messages with num_ctx and keep_alive; loadMs measured on the clock', async () => {
    const clock = new ManualClock(5_000);
    const { c, calls } = client(async () => {
      await clock.advance(12_000);
      return jsonResponse({
        model: 'm',
        created_at,
        message: { role: 'assistant', content: '' },
        done: true,
        done_reason: 'load',
      });
    }, clock);
    const r = await c.load('m', { numCtx: 16384, keepAlive: -1 });
    expect(calls[0]!.body).toEqual({
      model: 'm',
      messages: [],
      stream: false,
      options: { num_ctx: 16384 },
      keep_alive: -1,
    });
    expect(r.response.done_reason).toBe('load');
    expect(r.loadMs).toBe(12_000);
  });

  it('unload sends keep_alive 0 with empty messages', async () => {
    const { c, calls } = client(() =>
      jsonResponse({
        model: 'm',
        created_at,
        message: { role: 'assistant', content: '' },
        done: true,
        done_reason: 'unload',
      }),
    );
    expect((await c.unload('m')).done_reason).toBe('unload');
    expect(calls[0]!.body).toEqual({ model: 'm', messages: [], keep_alive: 0, stream: false });
  });

  it('rejects a base URL that is not http(s)', () => {
    expect(() => new OllamaClient({ baseUrl: 'localhost:11434' })).toThrow(/base URL/);
    expect(() => new OllamaClient({ baseUrl: 'not a url' })).toThrow(AppError);
  });
});
