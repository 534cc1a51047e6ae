// Thinking through the gateway with the official openai and ollama clients (the Anthropic client's
// thinking blocks are tested in gateway-anthropic-client.test.ts): OpenAI reasoning_effort in,
// reasoning_content out (streamed and not); Ollama think in, message.thinking out, on /api/chat and
// /api/generate. A model not configured to think answers plainly.
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { BASE, e2eFleet, gatewayHarness, type GatewayHarness } from './gateway-harness.ts';

let h: GatewayHarness;
afterEach(() => h.close());

function thinkingFleet() {
  const base = e2eFleet();
  return e2eFleet({
    models: [
      ...base.models,
      {
        name: 'qwen3:8b',
        paramsB: 8,
        memoryGiB: 5.2,
        contextTokens: 8192,
        servers: ['beta'],
        thinking: true,
      },
    ],
    aliases: { ...base.aliases, thinker: ['qwen3:8b'] },
  });
}

describe('thinking with the openai and ollama clients', () => {
  it('openai: reasoning_effort gives reasoning_content, streamed and not', async () => {
    h = await gatewayHarness({ fleet: thinkingFleet() });
    const openai = new OpenAI({ baseURL: `${BASE}/v1`, apiKey: 'k', fetch: h.fetch, maxRetries: 0 });
    const messages = [{ role: 'user' as const, content: 'Why is the sky blue?' }];
    const whole = await h.until(
      openai.chat.completions.create({ model: 'thinker', reasoning_effort: 'medium', messages }),
    );
    const message = whole.choices[0]!.message as { content: string | null; reasoning_content?: string };
    expect(message.reasoning_content).toMatch(/^Let me think\./);
    expect(message.content!.length).toBeGreaterThan(0);
    const streamed = await h.until(
      (async () => {
        let reasoning = '';
        let text = '';
        const stream = await openai.chat.completions.create({
          model: 'thinker',
          reasoning_effort: 'medium',
          messages,
          stream: true,
        });
        for await (const chunk of stream) {
          const d: { content?: string | null; reasoning_content?: string } | undefined =
            chunk.choices[0]?.delta;
          reasoning += d?.reasoning_content ?? '';
          text += d?.content ?? '';
        }
        return { reasoning, text };
      })(),
    );
    expect(streamed.reasoning).toBe(message.reasoning_content);
    expect(streamed.text.length).toBeGreaterThan(0);
    const plain = await h.until(
      openai.chat.completions.create({ model: 'coder', reasoning_effort: 'medium', messages }),
    );
    expect((plain.choices[0]!.message as { reasoning_content?: string }).reasoning_content).toBeUndefined();
  });

  it('ollama: think gives message.thinking on /api/chat and thinking on /api/generate', async () => {
    h = await gatewayHarness({ fleet: thinkingFleet() });
    const ollama = new Ollama({ host: BASE, fetch: h.fetch });
    const chat = await h.until(
      ollama.chat({ model: 'thinker', think: true, messages: [{ role: 'user', content: 'Why?' }] }),
    );
    expect(chat.message.thinking).toMatch(/^Let me think\./);
    expect(chat.message.content.length).toBeGreaterThan(0);
    const gen = await h.until(ollama.generate({ model: 'thinker', think: true, prompt: 'Why?' }));
    expect(gen.thinking).toMatch(/^Let me think\./);
    const off = await h.until(
      ollama.chat({ model: 'thinker', think: false, messages: [{ role: 'user', content: 'Why?' }] }),
    );
    expect(off.message.thinking ?? '').toBe('');
    const plain = await h.until(
      ollama.chat({ model: 'coder', think: true, messages: [{ role: 'user', content: 'Why?' }] }),
    );
    expect(plain.message.thinking ?? '').toBe('');
    expect(plain.message.content.length).toBeGreaterThan(0);
  });
});
