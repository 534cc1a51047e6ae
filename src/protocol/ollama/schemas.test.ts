import { describe, expect, it } from 'vitest';
import {
  OllamaChatRequestSchema,
  OllamaChatResponseSchema,
  OllamaEmbedRequestSchema,
  OllamaErrorSchema,
  OllamaPsResponseSchema,
  OllamaShowRequestSchema,
  OllamaTagsResponseSchema,
  keepAliveSeconds,
} from './index.ts';

describe('ollama wire schemas', () => {
  it('parses a chat request with tools, options, format and keep_alive, keeping unknown fields', () => {
    const r = OllamaChatRequestSchema.parse({
      model: 'qwen2.5:7b',
      messages: [
        { role: 'user', content: 'weather?', images: ['aGk='] },
        {
          role: 'assistant',
          tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Paris' } } }],
        },
        { role: 'tool', content: '11C', tool_name: 'get_weather' },
      ],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
      options: { num_ctx: 8192, temperature: 0.2, stop: ['\n\n'], mirostat: 0 },
      keep_alive: '5m',
      stream: false,
      think: 'low',
      future_field: 1,
    });
    expect(r.messages?.[1]?.content).toBe('');
    expect(r.options?.num_ctx).toBe(8192);
    expect((r.options as Record<string, unknown>).mirostat).toBe(0);
    expect((r as Record<string, unknown>).future_field).toBe(1);
  });

  it('rejects wrong types on known fields and names the field', () => {
    const r = OllamaChatRequestSchema.safeParse({ model: 'm', options: { num_ctx: 'big' } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['options', 'num_ctx']);
    expect(OllamaChatRequestSchema.safeParse({ model: 'm', keep_alive: 'soon' }).success).toBe(false);
    expect(OllamaChatRequestSchema.safeParse({ model: '' }).success).toBe(false);
  });

  it('parses a final chat chunk with metrics and a load response', () => {
    const done = OllamaChatResponseSchema.parse({
      model: 'llama3.2',
      created_at: '2023-08-04T19:22:45.499127Z',
      message: { role: 'assistant', content: '' },
      done: true,
      done_reason: 'stop',
      total_duration: 4883583458,
      load_duration: 1334875,
      prompt_eval_count: 26,
      prompt_eval_duration: 342546000,
      eval_count: 282,
      eval_duration: 4535599000,
    });
    expect(done.eval_count).toBe(282);
    const load = OllamaChatResponseSchema.parse({
      model: 'llama3.2',
      created_at: '2024-09-12T21:17:29.110811Z',
      message: { role: 'assistant', content: '' },
      done_reason: 'load',
      done: true,
    });
    expect(load.done_reason).toBe('load');
  });

  it('parses /api/ps, /api/tags, show and embed requests and the error body', () => {
    const ps = OllamaPsResponseSchema.parse({
      models: [
        {
          name: 'qwen2.5-coder:7b',
          model: 'qwen2.5-coder:7b',
          size: 5618579456,
          digest: 'dae161e27b0e',
          details: { family: 'qwen2', families: null },
          expires_at: '2025-08-06T14:23:28.7482+02:00',
          size_vram: 5618579456,
          context_length: 4096,
        },
      ],
    });
    expect(ps.models[0]?.context_length).toBe(4096);
    expect(OllamaTagsResponseSchema.parse({ models: [] }).models).toEqual([]);
    expect(OllamaShowRequestSchema.safeParse({ name: 'x' }).success).toBe(true);
    expect(OllamaShowRequestSchema.safeParse({}).success).toBe(false);
    expect(OllamaEmbedRequestSchema.parse({ model: 'e', input: ['a', 'b'] }).input).toEqual(['a', 'b']);
    expect(OllamaErrorSchema.parse({ error: 'model "x" not found' }).error).toContain('not found');
  });

  it('reads keep_alive values as Ollama does', () => {
    expect(keepAliveSeconds('5m')).toBe(300);
    expect(keepAliveSeconds('1h30m')).toBe(5400);
    expect(keepAliveSeconds('0')).toBe(0);
    expect(keepAliveSeconds(0)).toBe(0);
    expect(keepAliveSeconds(-1)).toBe(Infinity);
    expect(keepAliveSeconds('-1m')).toBe(Infinity);
    expect(keepAliveSeconds('1.5s')).toBe(1.5);
    expect(keepAliveSeconds('250ms')).toBe(0.25);
  });
});

describe('ollama response shapes from the docs', () => {
  it('accepts images: null and a final chunk without message', () => {
    const chunk = OllamaChatResponseSchema.parse({
      model: 'llama3.2',
      created_at: '2023-08-04T08:52:19.385406455-07:00',
      message: { role: 'assistant', content: 'The', images: null },
      done: false,
    });
    expect(chunk.message.images).toBeNull();
    const last = OllamaChatResponseSchema.parse({
      model: 'llama3.2',
      created_at: '2023-08-04T19:22:45.499127Z',
      done: true,
      total_duration: 4883583458,
      eval_count: 282,
    });
    expect(last.message).toEqual({ role: 'assistant', content: '' });
  });
});
