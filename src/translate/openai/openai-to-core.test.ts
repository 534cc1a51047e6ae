import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors/index.ts';
import { openAIToCore } from './openai-to-core.ts';

const meta = { requestId: 'req_1' };

function badRequest(body: unknown): string {
  try {
    openAIToCore(body, meta);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('bad_request');
    return (e as AppError).message;
  }
  throw new Error('expected a bad_request');
}

describe('openAIToCore', () => {
  it('maps a full request with tools, tool round trip, images and options', () => {
    const req = openAIToCore(
      {
        model: 'gpt-4o',
        messages: [
          { role: 'developer', content: 'Be terse.' },
          { role: 'system', content: [{ type: 'text', text: 'Use tools.' }] },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Weather here?' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            ],
          },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } },
            ],
          },
          { role: 'tool', tool_call_id: 'call_1', content: '{"temp":3}' },
          { role: 'system', content: 'Now answer.' },
        ],
        tools: [
          {
            type: 'function',
            function: {
              name: 'weather',
              description: 'Current weather',
              parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
            },
          },
        ],
        tool_choice: { type: 'function', function: { name: 'weather' } },
        temperature: 0.2,
        top_p: 0.9,
        max_tokens: 50,
        max_completion_tokens: 100,
        stop: 'END',
        seed: 7,
        stream: true,
        stream_options: { include_usage: true },
        user: 'agent-7',
        logprobs: true,
        some_future_field: { x: 1 },
      },
      meta,
    );
    expect(req).toEqual({
      model: 'gpt-4o',
      system: 'Be terse.\n\nUse tools.',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather here?' },
            { type: 'image', mediaType: 'image/png', data: 'iVBORw0KGgo=' },
          ],
        },
        {
          role: 'assistant',
          content: [],
          toolCalls: [{ id: 'call_1', name: 'weather', arguments: { city: 'Oslo' } }],
        },
        {
          role: 'tool',
          content: [{ type: 'text', text: '{"temp":3}' }],
          toolCallId: 'call_1',
          toolName: 'weather',
        },
        { role: 'system', content: [{ type: 'text', text: 'Now answer.' }] },
      ],
      tools: [
        {
          name: 'weather',
          description: 'Current weather',
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
      ],
      toolChoice: { name: 'weather' },
      temperature: 0.2,
      topP: 0.9,
      maxTokens: 100,
      stop: ['END'],
      seed: 7,
      stream: true,
      meta: { requestId: 'req_1', alias: 'gpt-4o', agentId: 'agent-7' },
    });
  });

  it('maps reasoning_effort to thinking: "none" is false, any other effort true', () => {
    const ask = (reasoning_effort?: string) =>
      openAIToCore(
        {
          model: 'm',
          messages: [{ role: 'user', content: 'hi' }],
          ...(reasoning_effort ? { reasoning_effort } : {}),
        },
        meta,
      ).thinking;
    expect(ask('high')).toBe(true);
    expect(ask('minimal')).toBe(true);
    expect(ask('none')).toBe(false);
    expect(ask()).toBeUndefined();
  });

  it('maps response formats', () => {
    const base = { model: 'm', messages: [{ role: 'user', content: 'x' }] };
    expect(openAIToCore({ ...base, response_format: { type: 'json_object' } }, meta).responseFormat).toEqual({
      type: 'json',
    });
    const schema = { type: 'object', properties: { a: { type: 'number' } } };
    expect(
      openAIToCore(
        {
          ...base,
          response_format: { type: 'json_schema', json_schema: { name: 'A', schema, strict: true } },
        },
        meta,
      ).responseFormat,
    ).toEqual({ type: 'json_schema', name: 'A', schema });
  });

  it('keeps the header agent id over the body user, and repairs broken tool arguments in history', () => {
    const req = openAIToCore(
      {
        model: 'm',
        user: 'body-user',
        messages: [
          { role: 'user', content: 'x' },
          {
            role: 'assistant',
            content: '',
            tool_calls: [{ id: 'c', function: { name: 'f', arguments: '{a: 1,' } }],
          },
        ],
      },
      { requestId: 'r', agentId: 'header-agent' },
    );
    expect(req.meta.agentId).toBe('header-agent');
    expect(req.messages[1]?.toolCalls?.[0]?.arguments).toEqual({ a: 1 });
  });

  it('names the field path in bad requests', () => {
    expect(
      badRequest({ model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 3 }] }] }),
    ).toBe('messages[0].content[0].text: expected a string, got a number');
    expect(badRequest({ model: 'm', messages: [{ role: 'wizard', content: 'x' }] })).toBe(
      'messages[0].role: "wizard" is not a supported role',
    );
    expect(badRequest('hello')).toBe('body: expected an object, got a string');
    expect(badRequest({ model: 'm', messages: [] })).toMatch(/^messages: /);
    expect(
      badRequest({
        model: 'm',
        messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] }],
      }),
    ).toMatch(/^messages\[0\]\.content\[0\]\.image_url\.url: image URLs are not fetched/);
    expect(
      badRequest({
        model: 'm',
        messages: [{ role: 'user', content: 'x' }],
        tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'string' } } }],
      }),
    ).toBe('tools[0].function.parameters: tool "f" has a schema of type "string"; expected "object"');
    expect(
      badRequest({
        model: 'm',
        messages: [{ role: 'user', content: 'x' }],
        tool_choice: { type: 'function', function: { name: 'g' } },
      }),
    ).toMatch(/no tool named "g"/);
    expect(badRequest({ model: 'm', messages: [{ role: 'user', content: 'x' }], n: 3 })).toMatch(/^n: /);
  });
});
