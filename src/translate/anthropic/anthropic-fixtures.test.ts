// Real payload shapes (see __fixtures__) through the mappers: wire -> core -> wire, the Claude Code
// request on to Ollama and an Ollama answer back to an Anthropic stream the official SDK accepts.
import Anthropic from '@anthropic-ai/sdk';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../core/chat.ts';
import { sequentialIds } from '../../lib/ids.ts';
import { formatSSE, type SSEMessage } from '../../lib/sse.ts';
import type { OllamaChatResponse } from '../../protocol/ollama/index.ts';
import { createOllamaEventDecoder, toOllamaChatRequest } from '../ollama/index.ts';
import { estimateTokens } from '../shared/estimate-tokens.ts';
import {
  anthropicCountTokens,
  anthropicErrorToCore,
  anthropicResponseToCore,
  anthropicStreamDecoder,
  anthropicStreamEncoder,
  anthropicToCore,
  coreToAnthropicRequest,
  coreToAnthropicResponse,
  toAnthropicError,
} from './index.ts';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'));
const frames = (name: string): SSEMessage[] =>
  (fixture(name) as { events: { event: string; data: unknown }[] }).events.map((e) => ({
    event: e.event,
    data: JSON.stringify(e.data),
  }));

const meta = { requestId: 'req_cc' };
const SESSION = '3f9c2a71-5b4e-4d8a-9c1e-7a2b6d0e4f13';

function sdkFinal(sse: string) {
  const client = new Anthropic({
    apiKey: 'test',
    baseURL: 'http://gateway.test',
    maxRetries: 0,
    fetch: () => Promise.resolve(new Response(sse, { headers: { 'content-type': 'text/event-stream' } })),
  });
  return client.messages.stream({ model: 'local', max_tokens: 10, messages: [] }).finalMessage();
}

function reencode(events: ChatEvent[], id: string, inputTokens?: number): string {
  const enc = anthropicStreamEncoder({ id, model: 'claude-sonnet-4-5-20250929', inputTokens });
  return events
    .flatMap((e) => enc.encode(e))
    .map(formatSSE)
    .join('');
}

describe('Claude Code request fixture', () => {
  const body = fixture('claude-code-request.json');
  const core = anthropicToCore(body, meta);

  it('translates to core: system blocks, all tools, identity, tool history, image, thinking', () => {
    expect(core.system?.startsWith("You are Claude Code, Anthropic's official CLI for Claude.\n\n")).toBe(
      true,
    );
    expect(core.tools?.map((t) => t.name)).toEqual([
      'Task',
      'Bash',
      'Glob',
      'Grep',
      'Read',
      'Edit',
      'Write',
      'NotebookEdit',
      'WebFetch',
      'TodoWrite',
      'WebSearch',
      'BashOutput',
      'KillShell',
      'ExitPlanMode',
      'mcp__github__get_issue',
    ]);
    expect(core.tools?.every((t) => t.parameters.type === 'object')).toBe(true);
    expect(core.meta.agentId).toMatch(/^user_[0-9a-f]{64}_account_.*_session_/);
    expect(core.meta.sessionId).toBe(SESSION);
    expect(core.stream).toBe(true);
    expect(core.maxTokens).toBe(32000);
    expect(core.messages.map((m) => `${m.role}${m.toolName ? `:${m.toolName}` : ''}`)).toEqual([
      'user',
      'assistant',
      'tool:Bash',
      'assistant',
      'tool:Read',
      'tool:TodoWrite',
      'user',
      'assistant',
      'tool:Edit',
    ]);
    expect(core.messages[0]?.content.map((p) => p.type)).toEqual(['text', 'text', 'image']);
    expect(core.messages[1]?.content[0]).toMatchObject({ type: 'thinking', signature: expect.any(String) });
    expect(core.messages[2]?.isError).toBe(true);
    expect(core.messages[3]?.toolCalls?.map((c) => c.name)).toEqual(['Read', 'TodoWrite']);
    // redacted thinking cannot be read by a local model: the Edit turn keeps only its call
    expect(core.messages[7]).toEqual({
      role: 'assistant',
      content: [],
      toolCalls: [expect.objectContaining({ id: 'toolu_01D4eF6gH8iJ0kL2mN4oP6qR', name: 'Edit' })],
    });
    expect(JSON.stringify(core)).not.toContain('context_management');
  });

  it('round-trips core -> Anthropic wire -> core unchanged', () => {
    const wire = coreToAnthropicRequest(core, { model: 'claude-sonnet-4-5-20250929' });
    // asked to think, the core request says so; Anthropic's API would need a budget it does not carry
    expect(core.thinking).toBe(true);
    expect(anthropicToCore(wire, meta)).toEqual({ ...core, thinking: undefined });
  });

  it('translates on to an Ollama /api/chat request', () => {
    const { request } = toOllamaChatRequest(core, { contextTokens: 32768 });
    expect(request.options?.num_ctx).toBe(32768);
    expect(request.tools).toHaveLength(15);
    expect(request.format).toBeUndefined();
    const msgs = request.messages ?? [];
    expect(msgs.map((m) => m.role)).toEqual([
      'system',
      'user',
      'assistant',
      'tool',
      'assistant',
      'tool',
      'tool',
      'user',
      'assistant',
      'tool',
    ]);
    expect(msgs[1]?.images).toHaveLength(1);
    expect(msgs[2]?.tool_calls?.[0]?.function).toMatchObject({
      name: 'Bash',
      arguments: { command: 'npx vitest run src/lib' },
    });
    expect(msgs[3]).toMatchObject({ tool_name: 'Bash', content: expect.stringMatching(/^Error: FAIL/) });
    expect(msgs[5]?.tool_name).toBe('Read');
  });

  it("an Ollama answer with tool calls comes back as a stream Claude Code's SDK accepts", async () => {
    const chunks: OllamaChatResponse[] = [
      {
        model: 'qwen3-coder:30b',
        created_at: '2026-11-20T10:00:00Z',
        message: { role: 'assistant', content: 'Re-running the tests.' },
        done: false,
      },
      {
        model: 'qwen3-coder:30b',
        created_at: '2026-11-20T10:00:01Z',
        message: {
          role: 'assistant',
          content: '',
          tool_calls: [{ function: { name: 'Bash', arguments: { command: 'npx vitest run src/lib' } } }],
        },
        done: false,
      },
      {
        model: 'qwen3-coder:30b',
        created_at: '2026-11-20T10:00:02Z',
        message: { role: 'assistant', content: '' },
        done: true,
        done_reason: 'stop',
        prompt_eval_count: 5210,
        eval_count: 31,
      },
    ];
    const decoder = createOllamaEventDecoder({ ids: sequentialIds() });
    const events = chunks.flatMap((c) => decoder.push(c));
    const msg = await sdkFinal(reencode(events, 'msg_local_1', estimateTokens(core)));
    expect(msg.stop_reason).toBe('tool_use');
    expect(msg.usage).toMatchObject({ input_tokens: 5210, output_tokens: 31 });
    expect(msg.content).toEqual([
      expect.objectContaining({ type: 'text', text: 'Re-running the tests.' }),
      { type: 'tool_use', id: 'call_000001', name: 'Bash', input: { command: 'npx vitest run src/lib' } },
    ]);
  });
});

describe('Anthropic response and stream fixtures', () => {
  it('stream with text and fragmented tool input: wire -> core -> wire gives the same message', async () => {
    const original = frames('stream-tool-use.json');
    const decoder = anthropicStreamDecoder();
    const events = original.flatMap((f) => decoder.decode(f));
    expect(decoder.end()).toEqual([]);
    expect(events.filter((e) => e.type === 'tool_call')).toEqual([
      {
        type: 'tool_call',
        index: 0,
        call: {
          id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
          name: 'get_weather',
          arguments: { location: 'San Francisco, CA', unit: 'fahrenheit' },
        },
      },
    ]);
    expect(events.at(-1)).toEqual({
      type: 'done',
      finishReason: 'tool_calls',
      usage: { inputTokens: 472, outputTokens: 89 },
    });
    const before = await sdkFinal(original.map(formatSSE).join(''));
    const after = await sdkFinal(reencode(events, before.id));
    expect(after.content).toEqual(before.content);
    expect(after.stop_reason).toBe(before.stop_reason);
    expect(after.usage).toMatchObject({ input_tokens: 472, output_tokens: 89 });
  });

  it('thinking stream: thinking text and answer survive (the signature is Anthropic-only)', async () => {
    const decoder = anthropicStreamDecoder();
    const events = frames('stream-thinking.json').flatMap((f) => decoder.decode(f));
    const msg = await sdkFinal(reencode(events, 'msg_x'));
    expect(msg.content).toMatchObject([
      {
        type: 'thinking',
        thinking: 'Let me solve this step by step:\n\n1. First break down 27 * 453\n2. 453 = 400 + 50 + 3',
      },
      { type: 'text', text: '27 * 453 = 12,231' },
    ]);
    expect(msg.stop_reason).toBe('end_turn');
  });

  it('non-streamed response: wire -> core -> wire', () => {
    const body = fixture('response-tool-use.json') as { id: string; model: string; content: unknown };
    const result = anthropicResponseToCore(body);
    expect(result.finishReason).toBe('tool_calls');
    const back = coreToAnthropicResponse(result, { id: body.id, model: body.model });
    expect(back.content).toEqual(body.content);
    expect(back).toMatchObject({ stop_reason: 'tool_use', usage: { input_tokens: 384, output_tokens: 92 } });
  });

  it('count_tokens request gives a plausible estimate', () => {
    const {
      model,
      response: { input_tokens },
    } = anthropicCountTokens(fixture('count-tokens-request.json'), meta);
    expect(model).toBe((fixture('count-tokens-request.json') as { model: string }).model);
    // the real API says about 400 for this body with its tool-use system prompt; text alone is ~60
    expect(input_tokens).toBeGreaterThan(40);
    expect(input_tokens).toBeLessThan(400);
  });

  it('error envelope: upstream overloaded -> AppError -> the same envelope type', () => {
    const body = fixture('error-overloaded.json') as { error: { type: string; message: string } };
    const e = anthropicErrorToCore(body.error.type, body.error.message);
    expect(e.code).toBe('overloaded');
    expect(toAnthropicError(e).body.error.type).toBe('overloaded_error');
  });
});
