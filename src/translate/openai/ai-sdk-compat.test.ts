// The engine talks to the gateway through the AI SDK's openai-compatible provider: it must read the
// OpenAI face's stream (text, reasoning, tool calls, usage) as well as the official client does.
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { streamText, tool } from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ChatEvent } from '../../core/chat.ts';
import { formatSSE } from '../../lib/sse.ts';
import { openAIStreamEncoder } from './openai-stream-encoder.ts';

const EVENTS: ChatEvent[] = [
  { type: 'start', model: 'qwen2.5:7b' },
  { type: 'thinking', delta: 'look it up' },
  { type: 'text', delta: 'Checking ' },
  { type: 'text', delta: 'Oslo.' },
  { type: 'tool_call', index: 0, call: { id: 'call_w', name: 'weather', arguments: { city: 'Oslo' } } },
  { type: 'done', finishReason: 'stop', usage: { inputTokens: 30, outputTokens: 12 } },
];

describe('AI SDK openai-compatible provider reads the OpenAI face', () => {
  it('text, reasoning, a tool call, finish reason and usage', async () => {
    const enc = openAIStreamEncoder({
      id: 'chatcmpl-9',
      model: 'worker',
      created: 1_700_000_000,
      includeUsage: true,
    });
    const body = EVENTS.flatMap((e) => enc.encode(e))
      .map(formatSSE)
      .join('');
    const provider = createOpenAICompatible({
      name: 'orchestra',
      baseURL: 'http://gateway.test/v1',
      includeUsage: true,
      fetch: () => Promise.resolve(new Response(body, { headers: { 'content-type': 'text/event-stream' } })),
    });
    const result = streamText({
      model: provider('worker'),
      prompt: 'weather?',
      tools: { weather: tool({ inputSchema: z.object({ city: z.string() }) }) },
    });
    expect(await result.text).toBe('Checking Oslo.');
    expect(await result.reasoningText).toBe('look it up');
    const calls = await result.toolCalls;
    expect(calls.map((c) => [c.toolCallId, c.toolName, c.input])).toEqual([
      ['call_w', 'weather', { city: 'Oslo' }],
    ]);
    expect(await result.finishReason).toBe('tool-calls');
    const usage = await result.usage;
    expect([usage.inputTokens, usage.outputTokens]).toEqual([30, 12]);
  });
});
