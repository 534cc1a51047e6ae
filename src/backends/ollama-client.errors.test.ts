import { describe, expect, it } from 'vitest';
import { AppError } from '../core/errors/index.ts';
import { ManualClock } from '../lib/clock.ts';
import { OllamaClient } from './ollama-client.ts';
import { jsonResponse, ndjsonResponse, scriptedFetch, type Handler } from './testing/scripted-fetch.ts';

const BASE = 'http://ollama.test:11434';
const created_at = '2024-07-22T20:33:28.123648Z';

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
