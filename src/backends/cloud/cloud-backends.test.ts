import { describe, expect, it } from 'vitest';
import { ModelSchema } from '../../config/index.ts';
import type { ChatEvent, ChatRequest } from '../../core/chat.ts';
import { anthropicBackend } from './anthropic-backend.ts';
import { cloudProviders } from './cloud-providers.ts';
import { openAIBackend } from './openai-backend.ts';

const model = ModelSchema.parse({
  name: 'claude',
  upstreamName: 'claude-sonnet-4-5',
  servers: ['anthropic'],
});
const request: ChatRequest = {
  model: 'claude',
  system: 'be brief',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
  maxTokens: 50,
  stream: false,
  meta: { requestId: 'r1' },
};

const sse = (frames: Array<[string | undefined, unknown]>): string =>
  frames
    .map(
      ([event, data]) =>
        `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`,
    )
    .join('');

function fakeFetch(respond: (url: string, init: RequestInit) => Response) {
  const calls: Array<{ url: string; init: RequestInit; body: Record<string, unknown> }> = [];
  const f = (input: string | URL | Request, init: RequestInit = {}) => {
    const url = input instanceof Request ? input.url : input.toString();
    calls.push({ url, init, body: JSON.parse(init.body as string) as Record<string, unknown> });
    return Promise.resolve(respond(url, init));
  };
  return { fetch: f, calls };
}

async function collect(it: AsyncIterable<ChatEvent>): Promise<ChatEvent[]> {
  const out: ChatEvent[] = [];
  for await (const e of it) out.push(e);
  return out;
}

const ANTHROPIC_STREAM = sse([
  [
    'message_start',
    {
      type: 'message_start',
      message: {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-5',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 12, output_tokens: 1 },
      },
    },
  ],
  [
    'content_block_start',
    { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
  ],
  ['ping', { type: 'ping' }],
  [
    'content_block_delta',
    { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hel' } },
  ],
  [
    'content_block_delta',
    { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'lo' } },
  ],
  ['content_block_stop', { type: 'content_block_stop', index: 0 }],
  [
    'content_block_start',
    {
      type: 'content_block_start',
      index: 1,
      content_block: { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} },
    },
  ],
  [
    'content_block_delta',
    {
      type: 'content_block_delta',
      index: 1,
      delta: { type: 'input_json_delta', partial_json: '{"city": "Pa' },
    },
  ],
  [
    'content_block_delta',
    { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: 'ris"}' } },
  ],
  ['content_block_stop', { type: 'content_block_stop', index: 1 }],
  [
    'message_delta',
    {
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { output_tokens: 9 },
    },
  ],
  ['message_stop', { type: 'message_stop' }],
]);

describe('anthropic cloud backend', () => {
  it('streams the Messages API into core events with the key, version and upstream model', async () => {
    const f = fakeFetch(
      () => new Response(ANTHROPIC_STREAM, { headers: { 'content-type': 'text/event-stream' } }),
    );
    const b = anthropicBackend({
      baseUrl: 'https://api.anthropic.com/',
      apiKey: 'sk-test',
      model,
      fetch: f.fetch,
    });
    const events = await collect(b.chat(request, { signal: new AbortController().signal }));
    expect(f.calls[0]!.url).toBe('https://api.anthropic.com/v1/messages');
    const headers = new Headers(f.calls[0]!.init.headers);
    expect(headers.get('x-api-key')).toBe('sk-test');
    expect(headers.get('anthropic-version')).toBe('2023-06-01');
    expect(f.calls[0]!.body).toMatchObject({
      model: 'claude-sonnet-4-5',
      stream: true,
      max_tokens: 50,
      system: 'be brief',
    });
    expect(
      events
        .filter((e) => e.type === 'text')
        .map((e) => (e as { delta: string }).delta)
        .join(''),
    ).toBe('Hello');
    expect(events.find((e) => e.type === 'tool_call')).toMatchObject({
      call: { id: 'toolu_1', name: 'get_weather', arguments: { city: 'Paris' } },
    });
    expect(events.at(-1)).toMatchObject({
      type: 'done',
      finishReason: 'tool_calls',
      usage: { inputTokens: 12, outputTokens: 9 },
    });
  });

  it('maps HTTP errors: 429 with Retry-After, 529 overloaded, 400 bad request, network down', async () => {
    const cases: Array<[Response | Error, string, number | undefined]> = [
      [
        Response.json(
          { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } },
          { status: 429, headers: { 'retry-after': '7' } },
        ),
        'rate_limited',
        7,
      ],
      [
        Response.json(
          { type: 'error', error: { type: 'overloaded_error', message: 'busy' } },
          { status: 529 },
        ),
        'overloaded',
        undefined,
      ],
      [new Response('not json', { status: 400 }), 'bad_request', undefined],
      [new TypeError('fetch failed'), 'upstream_unavailable', undefined],
    ];
    for (const [res, code, retry] of cases) {
      const f = (() =>
        res instanceof Error ? Promise.reject(res) : Promise.resolve(res.clone())) as unknown as typeof fetch;
      const b = anthropicBackend({ baseUrl: 'https://api.anthropic.com', apiKey: 'k', model, fetch: f });
      const err = await collect(b.chat(request, { signal: new AbortController().signal })).catch(
        (e: unknown) => e,
      );
      expect(err).toMatchObject({ code, retryAfterSeconds: retry });
    }
  });
});

describe('openai-compatible cloud backend', () => {
  it('streams Chat Completions into core events', async () => {
    const chunk = (delta: unknown, finish: string | null = null) => ({
      id: 'c1',
      object: 'chat.completion.chunk',
      created: 1,
      model: 'gpt-x',
      choices: [{ index: 0, delta, finish_reason: finish }],
    });
    const body = sse([
      [undefined, chunk({ role: 'assistant', content: '' })],
      [undefined, chunk({ content: 'Hi' })],
      [undefined, chunk({ content: ' there' })],
      [undefined, chunk({}, 'stop')],
      [
        undefined,
        {
          id: 'c1',
          object: 'chat.completion.chunk',
          created: 1,
          model: 'gpt-x',
          choices: [],
          usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
        },
      ],
      [undefined, '[DONE]'],
    ]);
    const f = fakeFetch(() => new Response(body));
    const m = ModelSchema.parse({ name: 'gpt', upstreamName: 'gpt-x', servers: ['oa'] });
    const b = openAIBackend({
      baseUrl: 'https://api.openai.com/v1',
      apiKey: 'sk-o',
      model: m,
      fetch: f.fetch,
    });
    const events = await collect(b.chat(request, { signal: new AbortController().signal }));
    expect(f.calls[0]!.url).toBe('https://api.openai.com/v1/chat/completions');
    expect(new Headers(f.calls[0]!.init.headers).get('authorization')).toBe('Bearer sk-o');
    expect(f.calls[0]!.body).toMatchObject({ model: 'gpt-x', stream: true });
    expect(
      events
        .filter((e) => e.type === 'text')
        .map((e) => (e as { delta: string }).delta)
        .join(''),
    ).toBe('Hi there');
    expect(events.at(-1)).toMatchObject({
      type: 'done',
      finishReason: 'stop',
      usage: { inputTokens: 3, outputTokens: 2 },
    });
  });
});

describe('cloud providers', () => {
  it('disables a server whose key is missing, with a warning, and enables the rest', () => {
    const servers = [
      { name: 'local', url: 'http://127.0.0.1:11434', kind: 'ollama' },
      {
        name: 'anthropic',
        url: 'https://api.anthropic.com',
        kind: 'anthropic',
        apiKeyEnv: 'ANTHROPIC_API_KEY',
      },
      { name: 'oa', url: 'https://api.openai.com', kind: 'openai', apiKeyEnv: 'OPENAI_KEY' },
    ] as never;
    const p = cloudProviders({ servers }, { OPENAI_KEY: 'x' });
    expect(p.enabled).toEqual(['oa']);
    expect(p.warnings).toEqual([
      'cloud server anthropic (anthropic) is disabled: environment variable ANTHROPIC_API_KEY is not set',
    ]);
    expect(p.backendFor({ name: 'anthropic', kind: 'anthropic' } as never, model)).toBeUndefined();
    expect(
      p.backendFor({ name: 'oa', kind: 'openai', url: 'https://api.openai.com' } as never, model),
    ).toBeDefined();
  });
});
