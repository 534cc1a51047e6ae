// Real payload shapes (see __fixtures__) through the mappers, wire -> core -> wire.
import OpenAI from 'openai';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatSSE, type SSEMessage } from '../../lib/sse.ts';
import type { OpenAIErrorBody } from '../../protocol/openai/error.ts';
import {
  coreToOpenAIRequest,
  coreToOpenAIResponse,
  openAIErrorToCore,
  openAIResponseToCore,
  openAIStreamDecoder,
  openAIStreamEncoder,
  openAIToCore,
  toOpenAIError,
} from './index.ts';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'));

const meta = { requestId: 'req_o' };

function callsOf(c: OpenAI.ChatCompletion): unknown[] | undefined {
  return c.choices[0]?.message.tool_calls?.map((t): unknown[] => [
    t.id,
    t.type === 'function' ? (JSON.parse(t.function.arguments) as unknown) : null,
  ]);
}

function sdkStream(sse: string) {
  const client = new OpenAI({
    apiKey: 'test',
    baseURL: 'http://gateway.test/v1',
    maxRetries: 0,
    fetch: () => Promise.resolve(new Response(sse, { headers: { 'content-type': 'text/event-stream' } })),
  });
  return client.chat.completions.stream({ model: 'x', messages: [] }).finalChatCompletion();
}

describe('OpenAI fixtures', () => {
  it('request with tools, tool round trip and an image: wire -> core -> wire -> core', () => {
    const core = openAIToCore(fixture('chat-request-tools.json'), meta);
    expect(core.system).toBe('You are a helpful assistant.');
    expect(core.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'user']);
    expect(core.messages[0]?.content[1]).toMatchObject({ type: 'image', mediaType: 'image/png' });
    expect(core.messages[2]).toMatchObject({ toolCallId: 'call_abc123', toolName: 'get_current_weather' });
    expect(core.meta.agentId).toBe('agent-planner');
    expect(core).toMatchObject({
      maxTokens: 1024,
      seed: 42,
      stop: ['\n\nUser:'],
      toolChoice: 'auto',
      stream: true,
    });
    const wire = coreToOpenAIRequest(core, { model: 'gpt-4o' });
    // unknown and unsupported fields (store, service_tier, penalties) are gone; reasoning_effort went
    // into the core request as `thinking`, which only an Ollama model configured to think gets
    expect(core.thinking).toBe(true);
    expect(Object.keys(wire).sort()).toEqual(
      [
        'messages',
        'model',
        'max_completion_tokens',
        'seed',
        'stop',
        'stream',
        'stream_options',
        'temperature',
        'tool_choice',
        'tools',
        'top_p',
        'user',
      ].sort(),
    );
    expect(openAIToCore(wire, meta)).toEqual({ ...core, thinking: undefined });
  });

  it('structured output request maps to a json_schema response format', () => {
    const core = openAIToCore(fixture('chat-request-json-schema.json'), meta);
    expect(core.responseFormat).toMatchObject({ type: 'json_schema', name: 'calendar_event' });
    expect(openAIToCore(coreToOpenAIRequest(core, { model: 'gpt-4o-mini' }), meta)).toEqual(core);
  });

  it('non-streamed tool-call response: wire -> core -> wire', () => {
    const body = fixture('chat-response-tool-calls.json') as { id: string; created: number; model: string };
    const result = openAIResponseToCore(body);
    expect(result.toolCalls).toEqual([
      { id: 'call_abc123', name: 'get_current_weather', arguments: { location: 'Boston, MA' } },
    ]);
    const back = coreToOpenAIResponse(result, body);
    expect(back.choices[0]).toMatchObject({ finish_reason: 'tool_calls', message: { content: null } });
    expect(back.usage).toEqual({ prompt_tokens: 82, completion_tokens: 17, total_tokens: 99 });
  });

  it('stream with fragmented parallel tool calls: wire -> core -> wire, same final completion', async () => {
    const original: SSEMessage[] = (
      fixture('chat-stream-tool-calls.json') as { events: { data: unknown }[] }
    ).events.map((e) => ({ data: typeof e.data === 'string' ? e.data : JSON.stringify(e.data) }));
    const decoder = openAIStreamDecoder();
    const events = original.flatMap((f) => decoder.decode(f));
    expect(decoder.end()).toEqual([]);
    expect(
      events.filter((e) => e.type === 'tool_call').map((e) => e.type === 'tool_call' && e.call.arguments),
    ).toEqual([{ location: 'Boston, MA' }, { location: 'Oslo' }]);
    expect(events.at(-1)).toEqual({
      type: 'done',
      finishReason: 'tool_calls',
      usage: { inputTokens: 82, outputTokens: 40 },
    });
    const enc = openAIStreamEncoder({
      id: 'chatcmpl-123',
      model: 'gpt-4o-2024-08-06',
      created: 1694268190,
      includeUsage: true,
    });
    const before = await sdkStream(original.map(formatSSE).join(''));
    const after = await sdkStream(
      events
        .flatMap((e) => enc.encode(e))
        .map(formatSSE)
        .join(''),
    );
    expect(after.choices[0]?.message.content).toBe(before.choices[0]?.message.content);
    expect(callsOf(after)).toEqual(callsOf(before));
    expect(after.choices[0]?.finish_reason).toBe('tool_calls');
    expect(after.usage).toEqual(before.usage);
  });

  it('error envelope: upstream 400 -> AppError -> an OpenAI envelope again', () => {
    const body = fixture('error-invalid-request.json') as OpenAIErrorBody;
    const e = openAIErrorToCore(400, body);
    expect(e.code).toBe('bad_request');
    expect(toOpenAIError(e)).toMatchObject({
      status: 400,
      body: { error: { type: 'invalid_request_error' } },
    });
  });
});
