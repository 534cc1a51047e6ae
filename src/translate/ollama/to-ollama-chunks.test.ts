import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChatEvent, ToolCall } from '../../core/chat.ts';
import { sequentialIds } from '../../lib/ids.ts';
import { OllamaChatResponseSchema } from '../../protocol/ollama/index.ts';
import { createOllamaEventDecoder } from './ollama-event-decoder.ts';
import { createOllamaChunkEncoder, resultToOllamaResponse } from './to-ollama-chunks.ts';

const opts = { model: 'claude-3-haiku', now: () => Date.UTC(2026, 0, 1) };

describe('core events -> Ollama chunks', () => {
  it('encodes text, thinking, tool calls and a final chunk with metrics in ns', () => {
    const enc = createOllamaChunkEncoder(opts);
    const events: ChatEvent[] = [
      { type: 'start', model: 'qwen-fast', server: 'mini' },
      { type: 'waiting', reason: 'loading' },
      { type: 'thinking', delta: 'hm' },
      { type: 'text', delta: 'Hi' },
      { type: 'tool_call', index: 0, call: { id: 'call_1', name: 'f', arguments: { a: 1 } } },
      {
        type: 'done',
        finishReason: 'tool_calls',
        usage: { inputTokens: 10, outputTokens: 3 },
        timings: { totalMs: 2000, loadMs: 500, prefillMs: 300, decodeMs: 1200, queueMs: 100 },
      },
    ];
    const chunks = events.flatMap((e) => enc.push(e));
    expect(chunks.map((c) => c.message)).toEqual([
      { role: 'assistant', content: '', thinking: 'hm' },
      { role: 'assistant', content: 'Hi' },
      {
        role: 'assistant',
        content: '',
        tool_calls: [{ id: 'call_1', function: { index: 0, name: 'f', arguments: { a: 1 } } }],
      },
      { role: 'assistant', content: '' },
    ]);
    expect(chunks.at(-1)).toMatchObject({
      model: 'claude-3-haiku',
      created_at: '2026-01-01T00:00:00.000Z',
      done: true,
      done_reason: 'stop',
      total_duration: 2_100_000_000,
      load_duration: 500_000_000,
      prompt_eval_count: 10,
      prompt_eval_duration: 300_000_000,
      eval_count: 3,
      eval_duration: 1_200_000_000,
    });
    for (const c of chunks) expect(OllamaChatResponseSchema.safeParse(c).success).toBe(true);
  });

  it('encodes a folded result as one response', () => {
    const r = resultToOllamaResponse(
      {
        model: 'm',
        text: 'ok',
        toolCalls: [],
        finishReason: 'length',
        usage: { inputTokens: 1, outputTokens: 2 },
      },
      opts,
    );
    expect(r).toMatchObject({
      done: true,
      done_reason: 'length',
      message: { role: 'assistant', content: 'ok' },
      eval_count: 2,
    });
  });

  const arbCall = fc.record({
    id: fc.string({ minLength: 1, maxLength: 8 }).map((s) => `call_${s}`),
    name: fc.stringMatching(/^[a-z_]{1,12}$/),
    arguments: fc.dictionary(
      fc.stringMatching(/^[a-z]{1,6}$/),
      fc.oneof(fc.integer(), fc.string(), fc.boolean()),
    ),
  });
  const arbBody = fc.array(
    fc.oneof(
      fc.string({ minLength: 1 }).map((delta): ChatEvent => ({ type: 'text', delta })),
      fc.string({ minLength: 1 }).map((delta): ChatEvent => ({ type: 'thinking', delta })),
      arbCall.map((call): ChatEvent => ({ type: 'tool_call', index: 0, call })),
    ),
    { maxLength: 12 },
  );

  it('decoding the encoded chunks gives back the events (property)', () => {
    fc.assert(
      fc.property(arbBody, fc.boolean(), fc.nat(1000), fc.nat(1000), (body, length, input, output) => {
        let index = 0;
        const events = body.map((e) => (e.type === 'tool_call' ? { ...e, index: index++ } : e));
        const calls = events.filter(
          (e): e is { type: 'tool_call'; index: number; call: ToolCall } => e.type === 'tool_call',
        );
        const finishReason = calls.length > 0 ? 'tool_calls' : length ? 'length' : 'stop';
        const done: ChatEvent = {
          type: 'done',
          finishReason,
          usage: { inputTokens: input, outputTokens: output },
        };
        const enc = createOllamaChunkEncoder(opts);
        const chunks = [...events, done].flatMap((e) => enc.push(e));
        const dec = createOllamaEventDecoder({ ids: sequentialIds() });
        const back = chunks.flatMap((c) =>
          dec.push(OllamaChatResponseSchema.parse(JSON.parse(JSON.stringify(c)))),
        );
        expect(back[0]).toEqual({ type: 'start', model: 'claude-3-haiku' });
        const rest = back.slice(1);
        expect(rest.slice(0, -1)).toEqual(events);
        expect(rest.at(-1)).toMatchObject({
          type: 'done',
          finishReason,
          usage: { inputTokens: input, outputTokens: output },
        });
      }),
    );
  });
});
