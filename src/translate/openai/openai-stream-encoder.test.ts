import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../core/chat.ts';
import { AppError } from '../../core/errors/index.ts';
import { formatSSE, type SSEMessage } from '../../lib/sse.ts';
import { OpenAIChatChunkSchema } from '../../protocol/openai/chat-response.ts';
import { openAIStreamEncoder } from './openai-stream-encoder.ts';

const EVENTS: ChatEvent[] = [
  { type: 'waiting', reason: 'queued' },
  { type: 'start', model: 'qwen2.5:7b' },
  { type: 'thinking', delta: 'hmm' },
  { type: 'text', delta: 'Hello' },
  { type: 'text', delta: ' world' },
  { type: 'tool_call', index: 0, call: { id: 'call_a', name: 'weather', arguments: { city: 'Oslo' } } },
  { type: 'done', finishReason: 'stop', usage: { inputTokens: 20, outputTokens: 9 } },
];

function encodeAll(events: ChatEvent[], includeUsage: boolean): SSEMessage[] {
  const enc = openAIStreamEncoder({
    id: 'chatcmpl-1',
    model: 'gpt-4o',
    created: 1_700_000_000,
    includeUsage,
  });
  return events.flatMap((e) => enc.encode(e));
}

function sdkWith(body: string): OpenAI {
  return new OpenAI({
    apiKey: 'test',
    baseURL: 'http://gateway.test/v1',
    maxRetries: 0,
    fetch: () =>
      Promise.resolve(new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } })),
  });
}

const params = { model: 'gpt-4o', messages: [{ role: 'user' as const, content: 'hi' }] };

describe('openAIStreamEncoder', () => {
  it('frames role, deltas, finish, usage and [DONE]', () => {
    const frames = encodeAll(EVENTS, true);
    expect(frames.at(-1)).toEqual({ data: '[DONE]' });
    const chunks = frames.slice(0, -1).map((f) => OpenAIChatChunkSchema.parse(JSON.parse(f.data)));
    expect(chunks.map((c) => c.choices[0]?.delta ?? 'usage')).toEqual([
      { role: 'assistant', content: '' },
      { reasoning_content: 'hmm' },
      { content: 'Hello' },
      { content: ' world' },
      {
        tool_calls: [
          {
            index: 0,
            id: 'call_a',
            type: 'function',
            function: { name: 'weather', arguments: '{"city":"Oslo"}' },
          },
        ],
      },
      {},
      'usage',
    ]);
    expect(chunks[5]?.choices[0]?.finish_reason).toBe('tool_calls');
    expect(chunks[6]?.usage).toEqual({ prompt_tokens: 20, completion_tokens: 9, total_tokens: 29 });
    expect(encodeAll(EVENTS, false).some((f) => f.data.includes('"usage"'))).toBe(false);
  });

  it('is accepted by the official openai client (raw stream and ChatCompletionStream)', async () => {
    const body = encodeAll(EVENTS, true).map(formatSSE).join('');
    const raw = await sdkWith(body).chat.completions.create({ ...params, stream: true });
    let text = '';
    for await (const chunk of raw) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Hello world');

    const final = await sdkWith(body).chat.completions.stream(params).finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe('Hello world');
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    expect(final.choices[0]?.message.tool_calls).toEqual([
      { id: 'call_a', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } },
    ]);
    expect(final.usage).toEqual({ prompt_tokens: 20, completion_tokens: 9, total_tokens: 29 });
  });

  it('an error after the first byte is raised by the client', async () => {
    const enc = openAIStreamEncoder({ id: 'c', model: 'm', created: 1 });
    const frames = [
      ...enc.encode({ type: 'text', delta: 'x' }),
      ...enc.error(new AppError('upstream_timeout', 'no token for 60 s')),
    ];
    expect(enc.encode({ type: 'text', delta: 'late' })).toEqual([]);
    const raw = await sdkWith(frames.map(formatSSE).join('')).chat.completions.create({
      ...params,
      stream: true,
    });
    await expect(
      (async () => {
        for await (const _ of raw) {
          /* drain */
        }
      })(),
    ).rejects.toThrow(/no token for 60 s/);
  });
});
