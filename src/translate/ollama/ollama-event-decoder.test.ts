import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../core/chat.ts';
import { sequentialIds } from '../../lib/ids.ts';
import { OllamaChatResponseSchema, type OllamaChatResponse } from '../../protocol/ollama/index.ts';
import { createOllamaEventDecoder, ollamaResponseToResult } from './ollama-event-decoder.ts';

const read = (name: string): string =>
  readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
const response = (name: string): OllamaChatResponse => OllamaChatResponseSchema.parse(JSON.parse(read(name)));
const chunks = (name: string): OllamaChatResponse[] =>
  read(name)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => OllamaChatResponseSchema.parse(JSON.parse(l)));

function decode(list: OllamaChatResponse[]): ChatEvent[] {
  const d = createOllamaEventDecoder({ ids: sequentialIds(), server: 'mini' });
  return list.flatMap((c) => d.push(c));
}

describe('Ollama chunks -> core events', () => {
  it('streams text deltas and ends with usage and timings in ms', () => {
    expect(decode(chunks('chat-stream-text.ndjson'))).toEqual([
      { type: 'start', model: 'llama3.2', server: 'mini' },
      { type: 'text', delta: 'The' },
      { type: 'text', delta: ' sky' },
      { type: 'text', delta: ' is blue.' },
      {
        type: 'done',
        finishReason: 'stop',
        usage: { inputTokens: 26, outputTokens: 282 },
        timings: {
          totalMs: 4883.583458,
          loadMs: 1.334875,
          prefillMs: 342.546,
          prefillTokens: 26,
          decodeMs: 4535.599,
        },
      },
    ]);
  });

  it('handles a final chunk without message (older Ollama)', () => {
    const events = decode(chunks('chat-stream-old-final.ndjson'));
    expect(events.at(-1)).toMatchObject({
      type: 'done',
      finishReason: 'stop',
      usage: { inputTokens: 61, outputTokens: 468 },
    });
  });

  it("maps thinking, several tool calls with ids (generated or Ollama's), finish tool_calls", () => {
    const events = decode(chunks('chat-stream-thinking-tools.ndjson'));
    expect(events).toEqual([
      { type: 'start', model: 'qwen3', server: 'mini' },
      { type: 'thinking', delta: 'The user wants' },
      { type: 'thinking', delta: ' the weather.' },
      {
        type: 'tool_call',
        index: 0,
        call: {
          id: 'call_000001',
          name: 'get_current_weather',
          arguments: { format: 'celsius', location: 'Paris, FR' },
        },
      },
      {
        type: 'tool_call',
        index: 1,
        call: {
          id: 'call_abc123',
          name: 'get_current_weather',
          arguments: { format: 'celsius', location: 'Lyon, FR' },
        },
      },
      expect.objectContaining({
        type: 'done',
        finishReason: 'tool_calls',
        usage: { inputTokens: 122, outputTokens: 33 },
      }),
    ]);
  });

  it('done_reason length -> finishReason length', () => {
    expect(decode(chunks('chat-stream-length.ndjson')).at(-1)).toMatchObject({
      type: 'done',
      finishReason: 'length',
    });
  });

  it('ignores anything after the final chunk', () => {
    const list = chunks('chat-stream-text.ndjson');
    const d = createOllamaEventDecoder({ ids: sequentialIds() });
    for (const c of list) d.push(c);
    expect(d.done).toBe(true);
    expect(d.push(list[0]!)).toEqual([]);
  });

  it('folds the docs tool-call response into a ChatResult', () => {
    const r = ollamaResponseToResult(response('chat-response-tools.json'), { ids: sequentialIds() });
    expect(r).toEqual({
      model: 'llama3.2',
      text: '',
      toolCalls: [
        {
          id: 'call_000001',
          name: 'get_current_weather',
          arguments: { format: 'celsius', location: 'Paris, FR' },
        },
      ],
      finishReason: 'tool_calls',
      usage: { inputTokens: 122, outputTokens: 33 },
      timings: {
        totalMs: 885.095291,
        loadMs: 3.7535,
        prefillMs: 328.493,
        prefillTokens: 122,
        decodeMs: 552.222,
      },
    });
  });

  it('folds the docs structured-output response', () => {
    const r = ollamaResponseToResult(response('chat-response-structured.json'), { ids: sequentialIds() });
    expect(JSON.parse(r.text)).toEqual({ age: 22, available: false });
    expect(r.finishReason).toBe('stop');
  });

  it('a load response has no metrics, so no timings', () => {
    const events = decode([response('chat-response-load.json')]);
    expect(events.at(-1)).toEqual({
      type: 'done',
      finishReason: 'stop',
      usage: { inputTokens: 0, outputTokens: 0 },
    });
  });

  it('gives nothing for chunks after the final one', () => {
    const list = chunks('chat-stream-text.ndjson');
    const decoder = createOllamaEventDecoder({ ids: sequentialIds() });
    const out = list.flatMap((c) => decoder.push(c));
    expect(decoder.done).toBe(true);
    expect(decoder.push(list[0]!)).toEqual([]);
    expect(out.filter((e) => e.type === 'done')).toHaveLength(1);
    expect(out.at(-1)?.type).toBe('done');
  });
});
