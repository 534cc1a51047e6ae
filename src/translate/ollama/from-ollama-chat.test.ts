import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sequentialIds } from '../../lib/ids.ts';
import { OllamaChatRequestSchema, type OllamaChatRequest } from '../../protocol/ollama/index.ts';
import { fromOllamaChatRequest, imageMediaType } from './from-ollama-chat.ts';
import { toOllamaChatRequest } from './to-ollama-chat.ts';

const fixture = (name: string): OllamaChatRequest =>
  OllamaChatRequestSchema.parse(
    JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')),
  );
const meta = { requestId: 'r1' };

describe('fromOllamaChatRequest', () => {
  it('maps the docs tool request and notes what the gateway ignores', () => {
    const { request, notes } = fromOllamaChatRequest(
      fixture('chat-request-tools.ollama.json'),
      meta,
      sequentialIds(),
    );
    expect(request).toMatchObject({
      model: 'llama3.2',
      stream: false,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What is the weather today in Paris?' }] }],
      tools: [{ name: 'get_current_weather', description: 'Get the current weather for a location' }],
    });
    expect(request.tools![0]!.parameters).toMatchObject({ required: ['location', 'format'] });
    expect(notes).toHaveLength(2);
  });

  it('maps think: true or a level is true, false is false', () => {
    const ask = (think?: boolean | 'high') =>
      fromOllamaChatRequest(
        {
          model: 'm',
          messages: [{ role: 'user', content: 'hi' }],
          ...(think === undefined ? {} : { think }),
        },
        meta,
        sequentialIds(),
      ).request.thinking;
    expect(ask(true)).toBe(true);
    expect(ask('high')).toBe(true);
    expect(ask(false)).toBe(false);
    expect(ask()).toBeUndefined();
  });

  it('maps format and sampling options', () => {
    const { request } = fromOllamaChatRequest(
      fixture('chat-request-structured.ollama.json'),
      meta,
      sequentialIds(),
    );
    expect(request.responseFormat).toMatchObject({
      type: 'json_schema',
      schema: { required: ['age', 'available'] },
    });
    expect(request.temperature).toBe(0);
    const json = fromOllamaChatRequest(
      OllamaChatRequestSchema.parse({
        model: 'm',
        format: 'json',
        options: { num_predict: -1, stop: ['x'], seed: 3 },
      }),
      meta,
      sequentialIds(),
    ).request;
    expect(json).toMatchObject({ responseFormat: { type: 'json' }, stop: ['x'], seed: 3, stream: true });
    expect(json.maxTokens).toBeUndefined();
  });

  it('pairs tool results with the calls before them, by name, and generates ids', () => {
    const wire = OllamaChatRequestSchema.parse({
      model: 'm',
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'system', content: 'use tools' },
        { role: 'user', content: 'look', images: ['/9j/4AAQ'] },
        {
          role: 'assistant',
          thinking: 'two lookups',
          tool_calls: [
            { function: { name: 'a', arguments: { x: 1 } } },
            { function: { name: 'b', arguments: {} } },
          ],
        },
        { role: 'tool', tool_name: 'b', content: 'B' },
        { role: 'tool', content: 'A' },
      ],
    });
    const { request } = fromOllamaChatRequest(wire, meta, sequentialIds());
    expect(request.system).toBe('be brief\n\nuse tools');
    expect(request.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'look' },
          { type: 'image', mediaType: 'image/jpeg', data: '/9j/4AAQ' },
        ],
      },
      {
        role: 'assistant',
        content: [{ type: 'thinking', text: 'two lookups' }],
        toolCalls: [
          { id: 'call_000001', name: 'a', arguments: { x: 1 } },
          { id: 'call_000002', name: 'b', arguments: {} },
        ],
      },
      { role: 'tool', content: [{ type: 'text', text: 'B' }], toolCallId: 'call_000002', toolName: 'b' },
      { role: 'tool', content: [{ type: 'text', text: 'A' }], toolCallId: 'call_000001', toolName: 'a' },
    ]);
  });

  it('round-trips through toOllamaChatRequest (wire -> core -> wire)', () => {
    const wire = fixture('chat-request-tools.ollama.json');
    const { request } = fromOllamaChatRequest(wire, meta, sequentialIds());
    const back = toOllamaChatRequest(request, { contextTokens: 8192, keepAlive: -1, stream: false }).request;
    expect(back).toEqual(wire);
  });

  it('reads image media types from the base64 magic', () => {
    expect(imageMediaType('iVBORw0KGgoAAA')).toBe('image/png');
    expect(imageMediaType('R0lGODlh')).toBe('image/gif');
    expect(imageMediaType('UklGRiQA')).toBe('image/webp');
  });
});
