import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../core/chat.ts';
import { AppError } from '../../core/errors/index.ts';
import { anthropicStreamDecoder } from './anthropic-stream-decoder.ts';
import { anthropicResponseToCore } from './anthropic-response-to-core.ts';
import { coreToAnthropicRequest } from './core-to-anthropic-request.ts';

const base: ChatRequest = {
  model: 'alias',
  messages: [],
  stream: false,
  meta: { requestId: 'r', agentId: 'planner' },
};

describe('coreToAnthropicRequest', () => {
  it('folds system messages, merges tool results with the next user text, drops unsigned thinking', () => {
    const body = coreToAnthropicRequest(
      {
        ...base,
        system: 'S',
        temperature: 1.6,
        responseFormat: { type: 'json' },
        toolChoice: 'required',
        tools: [{ name: 'f', parameters: { type: 'object' } }],
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'hi' }] },
          {
            role: 'assistant',
            content: [
              { type: 'thinking', text: 'local model thought' },
              { type: 'text', text: '' },
            ],
            toolCalls: [{ id: 'c1', name: 'f', arguments: { a: 1 } }],
          },
          { role: 'tool', toolCallId: 'c1', content: [{ type: 'text', text: 'boom' }], isError: true },
          { role: 'system', content: [{ type: 'text', text: 'S2' }] },
          { role: 'user', content: [{ type: 'image', mediaType: 'image/png', data: 'AA' }] },
        ],
      },
      { model: 'claude-haiku-4-5', defaultMaxTokens: 1000 },
    );
    expect(body).toEqual({
      model: 'claude-haiku-4-5',
      max_tokens: 1000,
      stream: false,
      system: 'S\n\nS2\n\nAnswer with a single JSON object and nothing else.',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'hi' }] },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'c1', name: 'f', input: { a: 1 } }] },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 'c1',
              content: [{ type: 'text', text: 'boom' }],
              is_error: true,
            },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AA' } },
          ],
        },
      ],
      tools: [{ name: 'f', input_schema: { type: 'object' } }],
      tool_choice: { type: 'any' },
      temperature: 1,
      metadata: { user_id: 'planner' },
    });
  });

  it('sends a json_schema format as output_config.format', () => {
    const schema = { type: 'object', properties: {} };
    const body = coreToAnthropicRequest(
      { ...base, responseFormat: { type: 'json_schema', schema } },
      { model: 'm' },
    );
    expect(body.output_config).toEqual({ format: { type: 'json_schema', schema } });
    expect(body.max_tokens).toBe(4096);
  });
});

describe('Anthropic cloud answers', () => {
  it('an error event becomes an AppError with a retry-aware code', () => {
    const d = anthropicStreamDecoder();
    expect(() =>
      d.decode({
        event: 'error',
        data: '{"type":"error","error":{"type":"rate_limit_error","message":"slow"}}',
      }),
    ).toThrow(expect.objectContaining({ code: 'rate_limited' }));
  });

  it('skips unknown events and deltas, rejects garbage, and notices a cut stream', () => {
    const d = anthropicStreamDecoder();
    expect(d.decode({ data: '{"type":"future_event","x":1}' })).toEqual([]);
    expect(
      d.decode({ data: '{"type":"content_block_delta","index":0,"delta":{"type":"future_delta"}}' }),
    ).toEqual([]);
    expect(() => d.decode({ data: 'not json' })).toThrow(AppError);
    expect(() => d.end()).toThrow(/ended before message_stop/);
  });

  it('a body that is not a Message is an upstream error, not a crash', () => {
    expect(() => anthropicResponseToCore({ hello: 1 })).toThrow(
      expect.objectContaining({ code: 'upstream_error' }),
    );
  });
});
