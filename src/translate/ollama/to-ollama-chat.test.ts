import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChatRequest, ToolSpec } from '../../core/chat.ts';
import { OllamaChatRequestSchema } from '../../protocol/ollama/index.ts';
import { toOllamaChatRequest } from './to-ollama-chat.ts';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'));

const weatherTool: ToolSpec = {
  name: 'get_current_weather',
  description: 'Get the current weather for a location',
  parameters: {
    type: 'object',
    properties: {
      location: {
        type: 'string',
        description: 'The location to get the weather for, e.g. San Francisco, CA',
      },
      format: {
        type: 'string',
        description: "The format to return the weather in, e.g. 'celsius' or 'fahrenheit'",
        enum: ['celsius', 'fahrenheit'],
      },
    },
    required: ['location', 'format'],
  },
};

function req(partial: Partial<ChatRequest>): ChatRequest {
  return { model: 'llama3.2', messages: [], stream: true, meta: { requestId: 'r1' }, ...partial };
}

describe('toOllamaChatRequest', () => {
  it('passes the ask to think on as `think` only to a model configured to think, and says when it drops it', () => {
    const ask = (thinking: boolean | undefined, canThink: boolean) => {
      const req: ChatRequest = {
        model: 'm',
        messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
        stream: true,
        meta: { requestId: 'r' },
        ...(thinking === undefined ? {} : { thinking }),
      };
      return toOllamaChatRequest(req, { contextTokens: 4096, thinking: canThink });
    };
    expect(ask(true, true).request.think).toBe(true);
    expect(ask(false, true).request.think).toBe(false);
    expect(ask(undefined, true).request.think).toBeUndefined();
    const dropped = ask(true, false);
    expect(dropped.request.think).toBeUndefined();
    expect(dropped.notes).toEqual([
      'thinking not passed on: m is not configured as a thinking model (models[].thinking)',
    ]);
    const off = ask(false, false);
    expect('think' in off.request).toBe(false);
    expect(off.notes).toEqual([]);
  });

  it('produces the docs tool request, with num_ctx and keep_alive', () => {
    const { request, notes } = toOllamaChatRequest(
      req({
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'What is the weather today in Paris?' }] },
        ],
        tools: [weatherTool],
      }),
      { contextTokens: 8192, keepAlive: -1, stream: false },
    );
    expect(request).toEqual(fixture('chat-request-tools.ollama.json'));
    expect(notes).toEqual([]);
    expect(OllamaChatRequestSchema.safeParse(request).success).toBe(true);
  });

  it('produces the docs structured-output request', () => {
    const { request } = toOllamaChatRequest(
      req({
        model: 'llama3.1',
        messages: [
          {
            role: 'user',
            content: [
              {
                type: 'text',
                text: 'Ollama is 22 years old and busy saving the world. Return a JSON object with the age and availability.',
              },
            ],
          },
        ],
        temperature: 0,
        responseFormat: {
          type: 'json_schema',
          schema: {
            type: 'object',
            properties: { age: { type: 'integer' }, available: { type: 'boolean' } },
            required: ['age', 'available'],
          },
        },
      }),
      { contextTokens: 4096, keepAlive: '5m', stream: false },
    );
    expect(request).toEqual(fixture('chat-request-structured.ollama.json'));
  });

  it('never sends format with tools, and says so', () => {
    const { request, notes } = toOllamaChatRequest(
      req({ tools: [weatherTool], responseFormat: { type: 'json' } }),
      { contextTokens: 2048 },
    );
    expect(request.tools).toHaveLength(1);
    expect(request.format).toBeUndefined();
    expect(notes.join()).toMatch(/suppresses tool calls/);
  });

  it('maps system prompt, images, thinking, tool calls as objects and tool results by name', () => {
    const { request } = toOllamaChatRequest(
      req({
        system: 'You are terse.',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'what is this?' },
              { type: 'image', mediaType: 'image/png', data: 'iVBORw0KGgo=' },
            ],
          },
          {
            role: 'assistant',
            content: [
              { type: 'thinking', text: 'look it up' },
              { type: 'text', text: '' },
            ],
            toolCalls: [{ id: 'call_1', name: 'lookup', arguments: { q: 'png' } }],
          },
          {
            role: 'tool',
            toolCallId: 'call_1',
            content: [{ type: 'text', text: 'not found' }],
            isError: true,
          },
        ],
      }),
      { contextTokens: 32768 },
    );
    expect(request.messages).toEqual([
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'what is this?', images: ['iVBORw0KGgo='] },
      {
        role: 'assistant',
        content: '',
        thinking: 'look it up',
        tool_calls: [{ function: { index: 0, name: 'lookup', arguments: { q: 'png' } } }],
      },
      { role: 'tool', content: 'Error: not found', tool_name: 'lookup' },
    ]);
  });

  it('maps sampling fields into options and max tokens to num_predict', () => {
    const { request } = toOllamaChatRequest(
      req({ temperature: 0.3, topP: 0.9, topK: 40, seed: 7, maxTokens: 256, stop: ['</done>'] }),
      { contextTokens: 8192, upstreamModel: 'qwen2.5:7b' },
    );
    expect(request.model).toBe('qwen2.5:7b');
    expect(request.options).toEqual({
      num_ctx: 8192,
      temperature: 0.3,
      top_p: 0.9,
      top_k: 40,
      seed: 7,
      num_predict: 256,
      stop: ['</done>'],
    });
    expect(request.keep_alive).toBeUndefined();
  });

  it('toolChoice none omits tools; a named choice offers only that tool', () => {
    const other: ToolSpec = { name: 'other', parameters: { type: 'object' } };
    expect(
      toOllamaChatRequest(req({ tools: [weatherTool], toolChoice: 'none' }), { contextTokens: 1 }).request
        .tools,
    ).toBeUndefined();
    const named = toOllamaChatRequest(req({ tools: [weatherTool, other], toolChoice: { name: 'other' } }), {
      contextTokens: 1,
    });
    expect(named.request.tools?.map((t) => t.function.name)).toEqual(['other']);
    expect(named.notes).toHaveLength(1);
  });

  it('format is kept without tools, and with toolChoice none', () => {
    const { request } = toOllamaChatRequest(
      req({ tools: [weatherTool], toolChoice: 'none', responseFormat: { type: 'json' } }),
      { contextTokens: 1 },
    );
    expect(request.format).toBe('json');
  });

  const arbRequest = fc.record({
    contextTokens: fc.integer({ min: 1, max: 1 << 20 }),
    tools: fc.boolean(),
    format: fc.constantFrom(undefined, 'json', 'schema', 'text'),
    toolChoice: fc.constantFrom(undefined, 'auto', 'none', 'required'),
    extra: fc.dictionary(fc.string({ minLength: 1 }), fc.jsonValue()),
  });

  it('always sends num_ctx, never format with tools, never unknown fields (property)', () => {
    fc.assert(
      fc.property(arbRequest, (a) => {
        const core = {
          ...a.extra,
          ...req({
            messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
            ...(a.tools ? { tools: [weatherTool] } : {}),
            ...(a.toolChoice === undefined ? {} : { toolChoice: a.toolChoice }),
            ...(a.format === undefined
              ? {}
              : {
                  responseFormat:
                    a.format === 'schema'
                      ? { type: 'json_schema' as const, schema: { type: 'object' } }
                      : { type: a.format },
                }),
          }),
        };
        const { request } = toOllamaChatRequest(core, { contextTokens: a.contextTokens });
        expect(request.options?.num_ctx).toBe(a.contextTokens);
        expect(request.tools !== undefined && request.format !== undefined).toBe(false);
        for (const key of Object.keys(request))
          expect(['model', 'messages', 'stream', 'options', 'keep_alive', 'tools', 'format']).toContain(key);
      }),
    );
  });
});
