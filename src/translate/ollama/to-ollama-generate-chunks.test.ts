import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../core/chat.ts';
import { OllamaGenerateResponseSchema } from '../../protocol/ollama/index.ts';
import { createOllamaGenerateEncoder, resultToOllamaGenerateResponse } from './to-ollama-generate-chunks.ts';

const opts = { model: 'coder', now: () => Date.UTC(2026, 0, 1) };
const done: ChatEvent = {
  type: 'done',
  finishReason: 'length',
  usage: { inputTokens: 10, outputTokens: 3 },
  timings: { totalMs: 2000, loadMs: 500, prefillMs: 300, decodeMs: 1200, queueMs: 100 },
};

describe('core events -> Ollama /api/generate chunks', () => {
  it('puts text in response, thinking beside it, and the metrics in the final chunk', () => {
    const enc = createOllamaGenerateEncoder(opts);
    const events: ChatEvent[] = [
      { type: 'start', model: 'qwen', server: 'mini' },
      { type: 'waiting', reason: 'loading' },
      { type: 'thinking', delta: 'hm' },
      { type: 'text', delta: 'Hi' },
      { type: 'text', delta: '' },
      { type: 'tool_call', index: 0, call: { id: 'c', name: 'f', arguments: {} } },
      done,
    ];
    const chunks = events.flatMap((e) => enc.push(e));
    expect(chunks).toEqual([
      { model: 'coder', created_at: '2026-01-01T00:00:00.000Z', response: '', thinking: 'hm', done: false },
      { model: 'coder', created_at: '2026-01-01T00:00:00.000Z', response: 'Hi', done: false },
      {
        model: 'coder',
        created_at: '2026-01-01T00:00:00.000Z',
        response: '',
        done: true,
        done_reason: 'length',
        total_duration: 2_100_000_000,
        load_duration: 500_000_000,
        prompt_eval_count: 10,
        prompt_eval_duration: 300_000_000,
        eval_count: 3,
        eval_duration: 1_200_000_000,
      },
    ]);
    for (const c of chunks) expect(OllamaGenerateResponseSchema.safeParse(c).success).toBe(true);
  });

  it('renders a whole result as one response', () => {
    const r = resultToOllamaGenerateResponse(
      {
        model: 'qwen',
        text: 'Hello',
        thinking: 'hm',
        toolCalls: [],
        finishReason: 'stop',
        usage: { inputTokens: 4, outputTokens: 2 },
      },
      opts,
    );
    expect(r).toMatchObject({
      response: 'Hello',
      thinking: 'hm',
      done: true,
      done_reason: 'stop',
      eval_count: 2,
    });
    expect(OllamaGenerateResponseSchema.safeParse(r).success).toBe(true);
  });

  it('sends the fields of Ollama own chunks (docs fixture), the deprecated context aside', () => {
    const url = new URL('./__fixtures__/generate-stream.ndjson', import.meta.url);
    const [first, last] = readFileSync(url, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const enc = createOllamaGenerateEncoder(opts);
    const ours = [...enc.push({ type: 'text', delta: 'The' }), ...enc.push(done)];
    const keys = (o: object | undefined) => Object.keys(o ?? {}).sort();
    expect(keys(ours[0])).toEqual(keys(first));
    expect(keys(ours[1])).toEqual(keys(last).filter((k) => k !== 'context'));
  });
});
