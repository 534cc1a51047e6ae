import { describe, expect, it } from 'vitest';
import { parseFleetObject } from '../config/index.ts';
import {
  OllamaChatResponseSchema,
  OllamaPsResponseSchema,
  OllamaTagsResponseSchema,
} from '../protocol/ollama/index.ts';
import { settle } from '../lib/clock.ts';
import { harness, macMini } from './testing/emulator-harness.ts';

const CODER = 'qwen2.5-coder:32b-instruct';
const hi = [{ role: 'user', content: 'Say hello to the emulator, please.' }];

function lines(text: string): Record<string, unknown>[] {
  return text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('emulator app: Ollama native API', () => {
  it('lists models, versions and what is loaded', async () => {
    const h = harness(macMini());
    const tags = OllamaTagsResponseSchema.parse(await (await h.get('/api/tags')).json());
    expect(tags.models.map((m) => m.name)).toEqual([
      'qwen2.5-coder:32b-instruct',
      'qwen-quality-128k:latest',
      'qwen-fast:latest',
    ]);
    const ps = OllamaPsResponseSchema.parse(await (await h.get('/api/ps')).json());
    expect(ps.models.map((m) => [m.name, m.context_length])).toEqual([['qwen-fast:latest', 32768]]);
    expect(await (await h.get('/api/version')).json()).toEqual({ version: expect.any(String) });
  });

  it('answers a non-streamed chat after the modelled load, prefill and decode', async () => {
    const h = harness(macMini());
    const t0 = h.clock.now();
    const res = await h.until(
      h.post('/api/chat', { model: CODER, messages: hi, stream: false, options: { num_predict: 23 } }),
    );
    expect(res.status).toBe(200);
    const body = OllamaChatResponseSchema.parse(await res.json());
    expect(body.done).toBe(true);
    expect(body.done_reason).toBe('stop'); // the default reply is num_predict tokens long
    expect(body.eval_count).toBe(23);
    expect(body.load_duration! / 1e9).toBeCloseTo(26.3, 0);
    expect(body.eval_count! / (body.eval_duration! / 1e9)).toBeCloseTo(4.59, 1);
    expect((h.clock.now() - t0) / 1000).toBeGreaterThanOrEqual(body.total_duration! / 1e9);
    expect(body.message.content.split(' ')).toHaveLength(23);
  });

  it('sends the head of a stream with its first chunk, as Ollama does (not before the first token)', async () => {
    const h = harness(macMini());
    h.emulator.setFault({ slowFirstTokenMs: 30_000 });
    for (const path of ['/api/chat', '/v1/chat/completions']) {
      const t0 = h.clock.now();
      const res = await h.until(
        h.post(path, {
          model: 'qwen-fast',
          messages: hi,
          stream: true,
          max_tokens: 3,
          options: { num_predict: 3 },
        }),
      );
      // the head came no earlier than the first token, and that token is there with it
      expect(h.clock.now() - t0).toBeGreaterThanOrEqual(30_000);
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const first = await Promise.race([reader.read(), settle().then(() => 'not yet' as const)]);
      expect(first).not.toBe('not yet');
      expect(new TextDecoder().decode((first as { value: Uint8Array }).value)).toMatch(/"content":"[^"]/);
      await h.until(reader.cancel());
    }
  });

  it('streams one NDJSON chunk per token at the decode rate, then the metrics', async () => {
    const h = harness(macMini());
    const res = await h.until(
      h.post('/api/chat', { model: 'qwen-fast', messages: hi, options: { num_predict: 10 } }),
    );
    expect(res.headers.get('content-type')).toContain('application/x-ndjson');
    const chunks = lines(await h.until(res.text()));
    expect(chunks).toHaveLength(11);
    const stamps = chunks.map((c) => Date.parse(c.created_at as string));
    expect(stamps[9]! - stamps[0]!).toBeGreaterThan(0);
    const last = chunks[10]!;
    expect(last).toMatchObject({ done: true, done_reason: 'stop', eval_count: 10, load_duration: 0 });
    expect(chunks.slice(0, 10).every((c) => c.done === false)).toBe(true);
  });

  it('loads with empty messages and unloads with keep_alive 0, visible in /api/ps', async () => {
    const h = harness(macMini());
    const load = await h.until(h.post('/api/chat', { model: CODER, messages: [] }));
    expect(await load.json()).toMatchObject({ done: true, done_reason: 'load' });
    const ps = OllamaPsResponseSchema.parse(await (await h.get('/api/ps')).json());
    expect(ps.models.map((m) => m.name)).toEqual([CODER]);
    const left = Date.parse(ps.models[0]!.expires_at) - h.clock.now();
    expect(left).toBeGreaterThan(299_000); // the default 5 min, armed when the load finished
    expect(left).toBeLessThanOrEqual(300_000);
    const unload = await h.post('/api/generate', { model: CODER, prompt: '', keep_alive: 0 });
    expect(await unload.json()).toMatchObject({ done: true, done_reason: 'unload' });
    expect(((await (await h.get('/api/ps')).json()) as { models: unknown[] }).models).toEqual([]);
  });

  it('answers /api/generate and /api/embed', async () => {
    const h = harness(macMini());
    const gen = await h.until(
      h.post('/api/generate', { model: 'qwen-fast', prompt: 'Why?', stream: false, keep_alive: '10m' }),
    );
    const body = (await gen.json()) as { response: string; done: boolean };
    expect(body.done).toBe(true);
    expect(body.response.length).toBeGreaterThan(0);
    const embed = await h.until(h.post('/api/embed', { model: 'qwen-fast', input: ['a', 'b'] }));
    const e = (await embed.json()) as {
      embeddings: number[][];
      total_duration: number;
      load_duration: number;
    };
    expect(e.embeddings).toHaveLength(2);
    expect((e.total_duration - e.load_duration) / 1e9).toBeLessThan(0.05); // a short prefill, no decode
    expect(Math.hypot(...e.embeddings[0]!)).toBeCloseTo(1, 6);
    expect(h.emulator.state().runners[0]?.keepAliveMs).toBe(600_000);
  });
});

describe('emulator app: thinking', () => {
  it('answers 400 to a request to think for a model without the capability, as Ollama does', async () => {
    const h = harness(macMini());
    const res = await h.post('/api/chat', { model: 'qwen-fast', messages: hi, think: true, stream: false });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: '"qwen-fast" does not support thinking' });
    const off = await h.until(
      h.post('/api/chat', { model: 'qwen-fast', messages: hi, think: false, stream: false }),
    );
    expect(off.status).toBe(200);
    const show = (await (await h.post('/api/show', { model: 'qwen-fast' })).json()) as {
      capabilities: string[];
    };
    expect(show.capabilities).not.toContain('thinking');
  });

  it('sends reasoning before the reply when asked to think, counted in eval_count', async () => {
    const fleet = macMini();
    fleet.models.find((m) => m.name === 'qwen-fast')!.thinking = true;
    const h = harness(fleet);
    const show = (await (await h.post('/api/show', { model: 'qwen-fast' })).json()) as {
      capabilities: string[];
    };
    expect(show.capabilities).toContain('thinking');
    const ask = { model: 'qwen-fast', messages: hi, think: true, options: { num_predict: 200 } };
    const full = OllamaChatResponseSchema.parse(
      await (await h.until(h.post('/api/chat', { ...ask, stream: false }))).json(),
    );
    expect(full.message.thinking).toMatch(/^Let me think\./);
    const thinkingTokens = full.message.thinking!.split(' ').length;
    expect(full.eval_count).toBe(thinkingTokens + full.message.content.split(' ').length);
    const chunks = lines(await h.until((await h.until(h.post('/api/chat', ask))).text()));
    const kinds = chunks.map((c) => {
      const m = c.message as { content: string; thinking?: string };
      return c.done ? 'done' : m.thinking ? 'thinking' : 'text';
    });
    expect(kinds.indexOf('text'), JSON.stringify(chunks.slice(0, 2))).toBe(thinkingTokens);
    expect(kinds.lastIndexOf('thinking')).toBe(thinkingTokens - 1);
    expect(kinds.at(-1)).toBe('done');
    const plain = OllamaChatResponseSchema.parse(
      await (await h.until(h.post('/api/chat', { ...ask, think: false, stream: false }))).json(),
    );
    expect(plain.message.thinking).toBeUndefined();
  });
});

describe('emulator app: prompt cache', () => {
  it('prefills only the new turn of a conversation, and everything again after a swap', async () => {
    const h = harness(macMini());
    const system = { role: 'system', content: 'You are a careful coder. '.repeat(200) };
    const turn1 = [system, { role: 'user', content: 'Write a function.' }];
    const chat = async (model: string, messages: unknown[]) =>
      OllamaChatResponseSchema.parse(
        await (
          await h.until(h.post('/api/chat', { model, messages, stream: false, options: { num_predict: 20 } }))
        ).json(),
      );
    const r1 = await chat('qwen-fast', turn1);
    expect(r1.prompt_eval_count).toBeGreaterThan(1200);
    expect(r1.prompt_eval_cached_count).toBeUndefined();
    const turn2 = [...turn1, r1.message, { role: 'user', content: 'Now test it.' }];
    const r2 = await chat('qwen-fast', turn2);
    // as current Ollama reports it: the whole prompt, and the part of it read from the cache
    expect(r2.prompt_eval_count).toBeGreaterThan(r1.prompt_eval_count!);
    expect(r2.prompt_eval_count! - r2.prompt_eval_cached_count!).toBeLessThan(10);
    expect(r2.prompt_eval_duration!).toBeLessThan(r1.prompt_eval_duration! / 100);
    await chat(CODER, [{ role: 'user', content: 'other model' }]); // evicts qwen-fast
    const r3 = await chat('qwen-fast', turn2);
    expect(r3.prompt_eval_count).toBeGreaterThan(1200);
    expect(r3.prompt_eval_cached_count).toBeUndefined(); // the cache went with the unload
    expect(r3.load_duration! / 1e9).toBeGreaterThan(7);
  });
});

describe('emulator app: structured output', () => {
  it('answers JSON of the schema given as format (native) or response_format (OpenAI)', async () => {
    const h = harness(macMini());
    const schema = {
      type: 'object',
      properties: {
        tool: { type: 'string', enum: ['read', 'write'] },
        lines: { type: 'integer', minimum: 1 },
      },
      required: ['tool', 'lines'],
    };
    const native = await h.until(
      h.post('/api/chat', { model: 'qwen-fast', messages: hi, format: schema, stream: false }),
    );
    const content = OllamaChatResponseSchema.parse(await native.json()).message.content;
    expect(JSON.parse(content)).toEqual({
      tool: expect.stringMatching(/^(read|write)$/),
      lines: expect.any(Number),
    });
    const openai = await h.until(
      h.post('/v1/chat/completions', {
        model: 'qwen-fast',
        messages: hi,
        response_format: { type: 'json_schema', json_schema: { name: 'step', schema } },
      }),
    );
    const body = (await openai.json()) as { choices: Array<{ message: { content: string } }> };
    expect(Object.keys(JSON.parse(body.choices[0]!.message.content) as object)).toEqual(['tool', 'lines']);
  });
});

describe('emulator app: OpenAI layer', () => {
  it('answers /v1/chat/completions (JSON and SSE) and /v1/models', async () => {
    const h = harness(macMini());
    const models = (await (await h.get('/v1/models')).json()) as { data: Array<{ id: string }> };
    expect(models.data.map((m) => m.id)).toContain('qwen-fast:latest');
    const res = await h.until(
      h.post('/v1/chat/completions', { model: 'qwen-fast', messages: hi, max_tokens: 5 }),
    );
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      object: 'chat.completion',
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant' } }],
      usage: { completion_tokens: 5 },
    });
    const stream = await h.until(
      h.post('/v1/chat/completions', {
        model: 'qwen-fast',
        messages: hi,
        max_tokens: 4,
        stream: true,
        stream_options: { include_usage: true },
      }),
    );
    const events = (await h.until(stream.text())).split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    expect(events).toHaveLength(4 + 1 + 1 + 1);
    const bad = await h.post('/v1/chat/completions', { model: 'nope', messages: hi });
    expect(bad.status).toBe(404);
    expect(await bad.json()).toMatchObject({ error: { type: 'not_found_error' } });
  });
});

describe('emulator app: mutually exclusive 32B models', () => {
  it('serves the second 32B only after the first drains, with the load in load_duration', async () => {
    const fleet = parseFleetObject(
      {
        servers: [{ name: 'mac', url: 'http://127.0.0.1:11434', memoryGiB: 21.3 }],
        models: [
          { name: 'a', memoryGiB: 18.5, paramsB: 32, loadSeconds: 40, servers: ['mac'] },
          { name: 'b', memoryGiB: 18.5, paramsB: 32, loadSeconds: 40, servers: ['mac'] },
        ],
      },
      'two-32b.yaml',
    );
    const h = harness(fleet);
    const a = h.post('/api/chat', { model: 'a', messages: hi, stream: false, options: { num_predict: 46 } });
    await h.clock.advance(1000);
    const b = h.post('/api/chat', { model: 'b', messages: hi, stream: false, options: { num_predict: 1 } });
    const ra = (await (await h.until(a)).json()) as { total_duration: number };
    const rb = (await (await h.until(b)).json()) as { load_duration: number };
    // b waited for a's whole request (40 s load + work), then its own 40 s load
    expect(rb.load_duration / 1e9).toBeCloseTo(ra.total_duration / 1e9 - 1 + 40, 3);
  });
});

describe('emulator app: stop sequences', () => {
  it('ends the reply before the first stop sequence, on the native and the OpenAI API', async () => {
    const h = harness(macMini());
    const native = async (options: Record<string, unknown>) =>
      OllamaChatResponseSchema.parse(
        await (
          await h.until(h.post('/api/chat', { model: 'qwen-fast', messages: hi, stream: false, options }))
        ).json(),
      );
    const full = (await native({ num_predict: 40 })).message.content;
    const stop = full.slice(Math.floor(full.length / 2), Math.floor(full.length / 2) + 4);
    const before = full.slice(0, full.indexOf(stop));
    const cut = await native({ num_predict: 40, stop: [stop, 'never in the reply'] });
    expect(cut.message.content).toBe(before);
    expect(cut.done_reason).toBe('stop');
    expect(cut.eval_count).toBeLessThan((await native({ num_predict: 40 })).eval_count!);
    const openai = (await (
      await h.until(
        h.post('/v1/chat/completions', { model: 'qwen-fast', messages: hi, max_tokens: 40, stop }),
      )
    ).json()) as { choices: Array<{ message: { content: string }; finish_reason: string }> };
    expect(openai.choices[0]).toMatchObject({ message: { content: before }, finish_reason: 'stop' });
  });
});
