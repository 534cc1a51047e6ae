import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors/index.ts';
import { coreToOpenAIRequest } from './core-to-openai-request.ts';
import { openAIErrorToCore } from './openai-response-to-core.ts';
import { openAIStreamDecoder } from './openai-stream-decoder.ts';

const chunk = (delta: object, finish: string | null = null) => ({
  data: JSON.stringify({
    id: 'c',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'up',
    choices: [{ index: 0, delta, finish_reason: finish }],
  }),
});

describe('OpenAI-compatible cloud direction', () => {
  it('maps a core request with stream usage, named tool choice and json mode', () => {
    const body = coreToOpenAIRequest(
      {
        model: 'alias',
        system: 'S',
        stream: true,
        toolChoice: { name: 'f' },
        responseFormat: { type: 'json' },
        tools: [{ name: 'f', description: 'd', parameters: { type: 'object' } }],
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'a' },
              { type: 'image', mediaType: 'image/png', data: 'AA' },
            ],
          },
          { role: 'assistant', content: [{ type: 'text', text: 'ok' }] },
        ],
        meta: { requestId: 'r' },
      },
      { model: 'gpt-4o-mini' },
    );
    expect(body).toEqual({
      model: 'gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: true },
      messages: [
        { role: 'system', content: 'S' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'a' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AA' } },
          ],
        },
        { role: 'assistant', content: 'ok' },
      ],
      tools: [
        { type: 'function', function: { name: 'f', description: 'd', parameters: { type: 'object' } } },
      ],
      tool_choice: { type: 'function', function: { name: 'f' } },
      response_format: { type: 'json_object' },
    });
  });

  it('decodes reasoning (both field names), text, a tool call, and flushes done at end() without [DONE]', () => {
    const d = openAIStreamDecoder();
    const events = [
      ...d.decode(chunk({ role: 'assistant', reasoning: 'r1' })),
      ...d.decode(chunk({ reasoning_content: 'r2' })),
      ...d.decode(chunk({ content: 'hi' })),
      ...d.decode(
        chunk({ tool_calls: [{ index: 0, id: 'k', function: { name: 'f', arguments: '{"x":' } }] }),
      ),
      ...d.decode(chunk({ tool_calls: [{ index: 0, function: { arguments: '2}' } }] }, 'stop')),
      ...d.end(),
    ];
    expect(events).toEqual([
      { type: 'start', model: 'up' },
      { type: 'thinking', delta: 'r1' },
      { type: 'thinking', delta: 'r2' },
      { type: 'text', delta: 'hi' },
      { type: 'tool_call', index: 0, call: { id: 'k', name: 'f', arguments: { x: 2 } } },
      { type: 'done', finishReason: 'tool_calls', usage: { inputTokens: 0, outputTokens: 0 } },
    ]);
  });

  it('raises upstream errors in the stream and a stream cut before finishing', () => {
    const d = openAIStreamDecoder();
    expect(() => d.decode({ data: '{"error":{"message":"overloaded","type":"server_error"}}' })).toThrow(
      /overloaded/,
    );
    const cut = openAIStreamDecoder();
    cut.decode(chunk({ content: 'x' }));
    expect(() => cut.end()).toThrow(AppError);
  });

  it('maps upstream statuses to codes the fallback logic understands', () => {
    expect(openAIErrorToCore(429, {}, 7)).toMatchObject({
      code: 'rate_limited',
      retryAfterSeconds: 7,
      upstreamStatus: 429,
    });
    expect(openAIErrorToCore(503, null).code).toBe('upstream_unavailable');
    expect(openAIErrorToCore(500, { error: { message: 'x' } }).code).toBe('upstream_error');
  });
});
