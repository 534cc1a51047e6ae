import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OllamaChatResponseSchema } from '../protocol/ollama/index.ts';
import { isPlainChatChunk } from './plain-chat-chunk.ts';

const created_at = '2026-01-01T00:00:00Z';
const token = { model: 'm', created_at, message: { role: 'assistant', content: ' word' }, done: false };

describe('isPlainChatChunk', () => {
  it('takes a text or thinking token and leaves the rest to the schema', () => {
    expect(isPlainChatChunk(token)).toBe(true);
    expect(isPlainChatChunk({ ...token, message: { role: 'assistant', content: '', thinking: 'hm' } })).toBe(
      true,
    );
    expect(isPlainChatChunk({ ...token, done: true, done_reason: 'stop', eval_count: 3 })).toBe(false);
    expect(isPlainChatChunk({ ...token, eval_count: -1 })).toBe(false);
    expect(isPlainChatChunk({ ...token, message: { role: 'assistant' } })).toBe(false); // content defaults
    expect(
      isPlainChatChunk({
        ...token,
        message: { role: 'assistant', content: '', tool_calls: [{ function: { name: 'f' } }] },
      }),
    ).toBe(false);
    expect(isPlainChatChunk({ error: 'boom' })).toBe(false);
    expect(isPlainChatChunk([token])).toBe(false);
    expect(isPlainChatChunk(null)).toBe(false);
  });

  it('accepts only what the schema accepts unchanged (property)', () => {
    const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
    const anyValue = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
    );
    const message = fc.record(
      {
        role: fc.oneof(fc.constantFrom('system', 'user', 'assistant', 'tool'), anyValue),
        content: fc.oneof(fc.string(), anyValue),
        thinking: maybe(fc.oneof(fc.string(), anyValue)),
        tool_name: maybe(fc.oneof(fc.string(), anyValue)),
        images: maybe(fc.oneof(fc.constant(null), fc.array(fc.string()), anyValue)),
        tool_calls: maybe(fc.oneof(fc.constant(null), fc.constant([]), anyValue)),
        extra: maybe(anyValue),
      },
      { requiredKeys: [] },
    );
    const chunk = fc.record(
      {
        model: fc.oneof(fc.string(), anyValue),
        created_at: fc.oneof(fc.constant(created_at), anyValue),
        message: fc.oneof(message, anyValue),
        done: fc.oneof(fc.boolean(), anyValue),
        done_reason: maybe(fc.oneof(fc.string(), anyValue)),
        eval_count: maybe(fc.oneof(fc.nat(), fc.integer(), anyValue)),
        extra: maybe(anyValue),
      },
      { requiredKeys: [] },
    );
    // mostly well-formed tokens with one field perturbed, so both answers occur often
    const perturbed = fc
      .tuple(
        chunk,
        fc.subarray(['model', 'created_at', 'message', 'done', 'done_reason', 'eval_count', 'extra']),
      )
      .map(([noise, keys]) => {
        const v: Record<string, unknown> = { ...token, message: { ...token.message } };
        for (const k of keys) v[k] = (noise as Record<string, unknown>)[k];
        return v;
      });
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(chunk, perturbed), (value) => {
        if (!isPlainChatChunk(value)) return;
        accepted++;
        const parsed = OllamaChatResponseSchema.safeParse(value);
        expect(parsed.success).toBe(true);
        expect(parsed.data).toEqual(value);
      }),
      { numRuns: 2000 },
    );
    expect(accepted).toBeGreaterThan(100);
  });
});
