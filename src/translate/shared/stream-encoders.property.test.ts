// Properties of both stream encoders over arbitrary core event sequences: Anthropic's event grammar
// (one message_start first, blocks opened and closed in index order, message_delta + message_stop
// last) and OpenAI's chunk framing, with no text or tool call lost.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChatEvent, FinishReason } from '../../core/chat.ts';
import { AnthropicStreamEventSchema } from '../../protocol/anthropic/stream-events.ts';
import { OpenAIChatChunkSchema } from '../../protocol/openai/chat-response.ts';
import { anthropicStreamEncoder } from '../anthropic/anthropic-stream-encoder.ts';
import { openAIStreamEncoder } from '../openai/openai-stream-encoder.ts';

const finish = fc.constantFrom<FinishReason>('stop', 'length', 'tool_calls', 'content_filter', 'error');
const event: fc.Arbitrary<ChatEvent> = fc.oneof(
  fc.record({ type: fc.constant('text' as const), delta: fc.string() }),
  fc.record({ type: fc.constant('thinking' as const), delta: fc.string() }),
  fc.record({
    type: fc.constant('tool_call' as const),
    index: fc.nat(5),
    call: fc.record({
      id: fc.string({ minLength: 1 }),
      name: fc.string({ minLength: 1 }),
      arguments: fc.dictionary(fc.string(), fc.jsonValue()),
    }),
  }),
  fc.record({
    type: fc.constant('waiting' as const),
    reason: fc.constantFrom('queued' as const, 'loading' as const),
  }),
  fc.record({ type: fc.constant('start' as const), model: fc.string() }),
);
const sequence = fc.tuple(
  fc.array(event, { maxLength: 12 }),
  fc.option(
    fc.record({
      type: fc.constant('done' as const),
      finishReason: finish,
      usage: fc.record({ inputTokens: fc.nat(), outputTokens: fc.nat() }),
    }),
  ),
  fc.array(event, { maxLength: 3 }),
);

type Parsed = {
  type: string;
  index?: number;
  delta?: { type: string; text?: string };
  content_block?: { type: string };
};

describe('stream encoders over arbitrary event sequences', () => {
  it("Anthropic: the API's event grammar holds and text is kept", () => {
    fc.assert(
      fc.property(sequence, fc.boolean(), ([before, done, after], ping) => {
        const enc = anthropicStreamEncoder({ id: 'msg', model: 'm' });
        const events: ChatEvent[] = [...before, ...(done ? [done] : []), ...after];
        const frames = [...(ping ? enc.ping() : []), ...events.flatMap((e) => enc.encode(e))];
        const parsed = frames.map((f) => {
          const p = AnthropicStreamEventSchema.parse(JSON.parse(f.data)) as Parsed;
          expect(p.type).toBe(f.event);
          return p;
        });
        if (parsed.length === 0) return;
        expect(parsed[0]?.type).toBe('message_start');
        expect(parsed.filter((p) => p.type === 'message_start')).toHaveLength(1);
        let open: number | undefined;
        let next = 0;
        let text = '';
        for (const p of parsed.slice(1)) {
          if (p.type === 'content_block_start') {
            expect(open).toBeUndefined();
            expect(p.index).toBe(next++);
            open = p.index;
          } else if (p.type === 'content_block_delta') {
            expect(p.index).toBe(open);
            if (p.delta?.type === 'text_delta') text += p.delta.text;
          } else if (p.type === 'content_block_stop') {
            expect(p.index).toBe(open);
            open = undefined;
          } else expect(open).toBeUndefined();
        }
        // events after `done` are ignored; without a done every event is live
        const live = done ? before : [...before, ...after];
        expect(text).toBe(live.map((e) => (e.type === 'text' ? e.delta : '')).join(''));
        if (done) {
          const tail = parsed.slice(-2).map((p) => p.type);
          expect(done.finishReason === 'error' ? tail.at(-1) : tail).toEqual(
            done.finishReason === 'error' ? 'error' : ['message_delta', 'message_stop'],
          );
        }
      }),
      { numRuns: 300 },
    );
  });

  it('OpenAI: every chunk is valid, [DONE] ends a finished stream, text and calls are kept', () => {
    fc.assert(
      fc.property(sequence, fc.boolean(), ([before, done, after], includeUsage) => {
        const enc = openAIStreamEncoder({ id: 'c', model: 'm', created: 1, includeUsage });
        const events: ChatEvent[] = [...before, ...(done ? [done] : []), ...after];
        const frames = events.flatMap((e) => enc.encode(e));
        const data = frames
          .filter((f) => f.data !== '[DONE]')
          .map((f) => OpenAIChatChunkSchema.parse(JSON.parse(f.data)));
        const live = done ? before : [...before, ...after];
        const text = data.map((c) => c.choices[0]?.delta.content ?? '').join('');
        expect(text).toBe(live.map((e) => (e.type === 'text' ? e.delta : '')).join(''));
        const calls = data.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
        expect(calls.map((c) => c.index)).toEqual(calls.map((_, i) => i));
        expect(calls).toHaveLength(live.filter((e) => e.type === 'tool_call').length);
        expect(frames.at(-1)?.data === '[DONE]').toBe(done !== null);
        expect(frames.filter((f) => f.data === '[DONE]').length).toBe(done ? 1 : 0);
      }),
      { numRuns: 300 },
    );
  });
});
