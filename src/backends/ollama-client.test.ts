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

async function failure(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
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

describe('OllamaClient errors', () => {
  const cases: Array<[string, number, unknown, Record<string, string>, string, boolean]> = [
    ['400 bad request', 400, { error: 'invalid format' }, {}, 'bad_request', false],
    ['404 unknown model', 404, { error: "model 'x' not found" }, {}, 'model_not_found', false],
    ['404 without Ollama body (missing endpoint)', 404, '404 page not found', {}, 'upstream_error', false],
    [
      '500 out of memory',
      500,
      { error: 'model requires more system memory (21 GiB) than is available (8 GiB)' },
      {},
      'load_failed',
      true,
    ],
    ['500 other', 500, { error: 'unexpected server error' }, {}, 'upstream_error', true],
    ['502 bad gateway', 502, 'bad gateway', {}, 'upstream_error', true],
    [
      '503 busy with Retry-After',
      503,
      { error: 'server busy, please try again.  maximum pending requests exceeded' },
      { 'retry-after': '7' },
      'overloaded',
      true,
    ],
    ['504 gateway timeout', 504, '', {}, 'upstream_timeout', true],
    ['429 rate limited', 429, { error: 'slow down' }, { 'retry-after': '3' }, 'rate_limited', true],
  ];

  for (const [name, status, body, headers, code, retryable] of cases) {
    it(`${name} -> ${code}`, async () => {
      const { c } = client(() =>
        typeof body === 'string'
          ? new Response(body, { status, headers })
          : jsonResponse(body, status, headers),
      );
      const e = await failure(c.chat({ model: 'x', messages: [] }));
      expect(e.code).toBe(code);
      expect(e.retryable).toBe(retryable);
      expect(e.upstreamStatus).toBe(status);
      if (typeof body === 'object' && body !== null)
        expect(e.message).toContain((body as { error: string }).error);
      if (headers['retry-after'] !== undefined)
        expect(e.retryAfterSeconds).toBe(Number(headers['retry-after']));
    });
  }

  it('reads an HTTP-date Retry-After against the injected clock', async () => {
    const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
    const { c } = client(
      () => jsonResponse({ error: 'busy' }, 503, { 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }),
      clock,
    );
    expect((await failure(c.ps())).retryAfterSeconds).toBe(30);
  });

  it('any 500 during an explicit load is load_failed', async () => {
    const { c } = client(() => jsonResponse({ error: 'unexpected EOF' }, 500));
    const e = await failure(c.load('m', { numCtx: 4096 }));
    expect(e.code).toBe('load_failed');
    expect(e.retryable).toBe(true);
  });

  it('connection refused -> upstream_unavailable (retryable)', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:11434'), {
      code: 'ECONNREFUSED',
    });
    const c = new OllamaClient({
      baseUrl: BASE,
      fetch: () => Promise.reject(new TypeError('fetch failed', { cause: refused })),
    });
    const e = await failure(c.version());
    expect(e.code).toBe('upstream_unavailable');
    expect(e.retryable).toBe(true);
    expect(e.message).toContain('ECONNREFUSED');
  });

  it('DNS failure -> upstream_unavailable', async () => {
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND ollama.test'), { code: 'ENOTFOUND' });
    const c = new OllamaClient({
      baseUrl: BASE,
      fetch: () => Promise.reject(new TypeError('fetch failed', { cause: dns })),
    });
    expect((await failure(c.tags())).code).toBe('upstream_unavailable');
  });

  it('an already aborted signal -> cancelled without calling fetch', async () => {
    const { c, calls } = client(() => jsonResponse({ version: '1' }));
    const ac = new AbortController();
    ac.abort();
    expect((await failure(c.version({ signal: ac.signal }))).code).toBe('cancelled');
    expect(calls).toEqual([]);
  });

  it('a timeout signal -> upstream_timeout', async () => {
    const { c } = client(() => jsonResponse({ version: '1' }));
    const ac = new AbortController();
    ac.abort(new DOMException('timed out', 'TimeoutError'));
    expect((await failure(c.version({ signal: ac.signal }))).code).toBe('upstream_timeout');
  });

  it('abort mid-stream -> cancelled after the chunks already received', async () => {
    const ac = new AbortController();
    const { c } = client((_call, signal) =>
      ndjsonResponse({
        lines: [{ model: 'm', created_at, message: { role: 'assistant', content: 'partial' }, done: false }],
        end: 'hang',
        signal,
      }),
    );
    const got: string[] = [];
    const e = await failure(
      (async () => {
        for await (const chunk of c.chatStream({ model: 'm', messages: [] }, { signal: ac.signal })) {
          got.push(chunk.message.content);
          ac.abort();
        }
      })(),
    );
    expect(got).toEqual(['partial']);
    expect(e.code).toBe('cancelled');
  });

  it('connection reset mid-stream -> upstream_unavailable', async () => {
    const { c } = client(() =>
      ndjsonResponse({
        lines: [{ model: 'm', created_at, message: { role: 'assistant', content: 'a' }, done: false }],
        end: 'reset',
      }),
    );
    expect((await failure(drain(c.chatStream({ model: 'm', messages: [] })))).code).toBe(
      'upstream_unavailable',
    );
  });

  it('a stream that ends without done -> upstream_unavailable', async () => {
    const { c } = client(() =>
      ndjsonResponse({
        lines: [{ model: 'm', created_at, message: { role: 'assistant', content: 'a' }, done: false }],
      }),
    );
    const e = await failure(drain(c.chatStream({ model: 'm', messages: [] })));
    expect(e.code).toBe('upstream_unavailable');
    expect(e.message).toMatch(/before the final chunk/);
  });

  it('an error chunk mid-stream -> upstream_error with its message', async () => {
    const { c } = client(() => ndjsonResponse({ lines: [{ error: 'llama runner process has terminated' }] }));
    const e = await failure(drain(c.chatStream({ model: 'm', messages: [] })));
    expect(e.code).toBe('upstream_error');
    expect(e.message).toContain('runner process has terminated');
  });

  it('a bad NDJSON line -> upstream_error naming the line', async () => {
    const { c } = client(() => ndjsonResponse({ lines: ['{"model":"m",'] }));
    expect((await failure(drain(c.chatStream({ model: 'm', messages: [] })))).message).toMatch(/line 1/);
  });

  it('an invalid response names the field', async () => {
    const { c } = client(() => jsonResponse({ models: [{ name: 'm', size: 'big', digest: 'd' }] }));
    const e = await failure(c.tags());
    expect(e.code).toBe('upstream_error');
    expect(e.message).toContain('models.0.size');
    expect(e.path).toBe('models.0.size');
  });

  it('a body that is not JSON -> upstream_error', async () => {
    const { c } = client(() => new Response('<html>', { status: 200 }));
    expect((await failure(c.version())).message).toMatch(/not JSON/);
  });
});
