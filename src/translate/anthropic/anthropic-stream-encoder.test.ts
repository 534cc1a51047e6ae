import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../core/chat.ts';
import { AppError } from '../../core/errors/index.ts';
import { formatSSE, parseSSE, type SSEMessage } from '../../lib/sse.ts';
import { AnthropicStreamEventSchema } from '../../protocol/anthropic/stream-events.ts';
import { anthropicStreamEncoder } from './anthropic-stream-encoder.ts';

const EVENTS: ChatEvent[] = [
  { type: 'waiting', reason: 'loading', etaMs: 4000 },
  { type: 'start', model: 'qwen2.5-coder:32b', server: 'mini' },
  { type: 'thinking', delta: 'Need to ' },
  { type: 'thinking', delta: 'list files.' },
  { type: 'text', delta: 'Let me ' },
  { type: 'text', delta: 'check.' },
  { type: 'tool_call', index: 0, call: { id: 'toolu_01', name: 'Bash', arguments: { command: 'ls -la' } } },
  { type: 'tool_call', index: 1, call: { id: 'toolu_02', name: 'Read', arguments: { file_path: '/a.ts' } } },
  { type: 'done', finishReason: 'stop', usage: { inputTokens: 812, outputTokens: 41 } },
];

function encodeAll(events: ChatEvent[], withPing = true): SSEMessage[] {
  const enc = anthropicStreamEncoder({ id: 'msg_01', model: 'claude-sonnet-4-5', inputTokens: 800 });
  const out: SSEMessage[] = withPing ? enc.ping() : [];
  for (const e of events) out.push(...enc.encode(e));
  return out;
}

function sdkWith(body: string): Anthropic {
  return new Anthropic({
    apiKey: 'test',
    baseURL: 'http://gateway.test',
    maxRetries: 0,
    fetch: () =>
      Promise.resolve(new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } })),
  });
}

const params = {
  model: 'local-coder',
  max_tokens: 100,
  messages: [{ role: 'user' as const, content: 'hi' }],
};

describe('anthropicStreamEncoder', () => {
  it("produces exactly Anthropic's event order", () => {
    const frames = encodeAll(EVENTS);
    expect(frames.map((f) => f.event)).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    for (const f of frames) {
      const parsed = AnthropicStreamEventSchema.parse(JSON.parse(f.data));
      expect(parsed.type).toBe(f.event);
    }
    const indexes = frames
      .map((f) => (JSON.parse(f.data) as { index?: number }).index)
      .filter((i) => i !== undefined);
    expect(indexes).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 3, 3, 3]);
    expect(JSON.parse(frames[0]!.data).message.usage).toEqual({ input_tokens: 800, output_tokens: 0 });
    expect(JSON.parse(frames.at(-2)!.data)).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { input_tokens: 812, output_tokens: 41 },
    });
  });

  it('is accepted by the official @anthropic-ai/sdk MessageStream', async () => {
    const body = encodeAll(EVENTS).map(formatSSE).join('');
    const msg = await sdkWith(body).messages.stream(params).finalMessage();
    expect(msg.id).toBe('msg_01');
    expect(msg.stop_reason).toBe('tool_use');
    expect(msg.usage.input_tokens).toBe(812);
    expect(msg.usage.output_tokens).toBe(41);
    expect(msg.content).toEqual([
      { type: 'thinking', thinking: 'Need to list files.', signature: '' },
      { type: 'text', text: 'Let me check.' },
      { type: 'tool_use', id: 'toolu_01', name: 'Bash', input: { command: 'ls -la' } },
      { type: 'tool_use', id: 'toolu_02', name: 'Read', input: { file_path: '/a.ts' } },
    ]);
  });

  it('maps length to max_tokens and a plain stop to end_turn', async () => {
    const body = (reason: 'length' | 'stop') =>
      encodeAll(
        [
          { type: 'text', delta: 'abc' },
          { type: 'done', finishReason: reason, usage: { inputTokens: 1, outputTokens: 2 } },
        ],
        false,
      )
        .map(formatSSE)
        .join('');
    expect((await sdkWith(body('length')).messages.stream(params).finalMessage()).stop_reason).toBe(
      'max_tokens',
    );
    const plain = await sdkWith(body('stop')).messages.stream(params).finalMessage();
    expect(plain.stop_reason).toBe('end_turn');
    expect(plain.content).toMatchObject([{ type: 'text', text: 'abc' }]);
  });

  it('an error mid-stream ends it with an error event the SDK raises', async () => {
    const enc = anthropicStreamEncoder({ id: 'msg_02', model: 'm' });
    const frames = [
      ...enc.encode({ type: 'text', delta: 'partial' }),
      ...enc.error(new AppError('overloaded', 'all servers busy')),
      ...enc.encode({ type: 'text', delta: 'ignored' }),
    ];
    expect(frames.map((f) => f.event)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'error',
    ]);
    expect(enc.finished).toBe(true);
    const stream = sdkWith(frames.map(formatSSE).join('')).messages.stream(params);
    await expect(stream.finalMessage()).rejects.toThrow(/all servers busy/);
  });

  it('survives an SSE round trip frame by frame', () => {
    const frames = encodeAll(EVENTS);
    expect(parseSSE(frames.map(formatSSE).join(''))).toEqual(frames);
  });
});
