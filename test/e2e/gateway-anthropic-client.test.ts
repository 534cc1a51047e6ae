// The official @anthropic-ai/sdk client against the gateway in front of the emulator: what Claude
// Code does (streaming with tools, tool_result history, system blocks), on a manual clock.
import Anthropic from '@anthropic-ai/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { BASE, e2eFleet, gatewayHarness, weatherResponder, type GatewayHarness } from './gateway-harness.ts';

let h: GatewayHarness;
afterEach(() => h.close());

function client(apiKey = 'unused'): Anthropic {
  return new Anthropic({ baseURL: BASE, apiKey, fetch: h.fetch, maxRetries: 0 });
}

const tools: Anthropic.Tool[] = [
  {
    name: 'get_weather',
    description: 'Weather for a city',
    input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
];

describe('@anthropic-ai/sdk -> gateway -> emulator', () => {
  it('creates a message with system blocks and metadata.user_id as the agent', async () => {
    h = await gatewayHarness();
    const userId = 'user_abc_account_1_session_0b6a1c2e-1f2a-4b3c-8d4e-5f6a7b8c9d0e';
    const m = await h.until(
      client().messages.create({
        model: 'claude-3-5-sonnet',
        max_tokens: 200,
        system: [{ type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral' } }],
        messages: [{ role: 'user', content: 'hello' }],
        metadata: { user_id: userId },
      }),
    );
    expect(m.type).toBe('message');
    expect(m.model).toBe('claude-3-5-sonnet');
    expect(m.stop_reason).toBe('end_turn');
    expect(m.content[0]).toMatchObject({ type: 'text' });
    expect(h.store.recent(1)[0]).toMatchObject({
      api: 'anthropic',
      agent: userId,
      model: 'qwen2.5-coder:32b',
    });
  });

  it('streams the full event sequence and a tool round trip with tool_result', async () => {
    h = await gatewayHarness({ responder: weatherResponder });
    const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];
    const first = await h.until(
      (async () => {
        const stream = client().messages.stream({ model: 'coder', max_tokens: 300, tools, messages });
        const types: string[] = [];
        stream.on('streamEvent', (e) => types.push(e.type));
        const final = await stream.finalMessage();
        return { final, types };
      })(),
    );
    expect(first.types[0]).toBe('message_start');
    expect(first.types.at(-1)).toBe('message_stop');
    expect(first.final.stop_reason).toBe('tool_use');
    const use = first.final.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use')!;
    expect(use).toMatchObject({ name: 'get_weather', input: { city: 'Paris' } });
    messages.push(
      { role: 'assistant', content: first.final.content },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'sunny, 21 C' }] },
    );
    const second = await h.until(
      client().messages.create({ model: 'coder', max_tokens: 300, tools, messages }),
    );
    const text = second.content
      .filter((b): b is Anthropic.TextBlock => b.type === 'text')
      .map((b) => b.text)
      .join('');
    expect(text).toContain('sunny, 21 C');
  });

  it('counts tokens and raises typed errors from the Anthropic envelope', async () => {
    h = await gatewayHarness({ env: { ORCHESTRA_MASTER_KEY: 'master-1' } });
    const count = await h.until(
      client('master-1').messages.countTokens({
        model: 'coder',
        messages: [{ role: 'user', content: 'hello there, how are you?' }],
      }),
    );
    expect(count.input_tokens).toBeGreaterThan(0);
    // as for messages: an unknown model is a 404
    const countMissing = await h.until(
      client('master-1')
        .messages.countTokens({ model: 'claude-9', messages: [{ role: 'user', content: 'x' }] })
        .catch((e: unknown) => e),
    );
    expect(countMissing).toBeInstanceOf(Anthropic.NotFoundError);
    const unauthorized = await h.until(
      client('nope')
        .messages.create({ model: 'coder', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })
        .catch((e: unknown) => e),
    );
    expect(unauthorized).toBeInstanceOf(Anthropic.AuthenticationError);
    const missing = await h.until(
      client('master-1')
        .messages.create({ model: 'claude-9', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })
        .catch((e: unknown) => e),
    );
    expect(missing).toBeInstanceOf(Anthropic.NotFoundError);
    expect((missing as InstanceType<typeof Anthropic.NotFoundError>).error).toMatchObject({
      type: 'error',
      error: { type: 'not_found_error' },
    });
    const badTool = await h.until(
      client('master-1')
        .messages.create({
          model: 'coder',
          max_tokens: 10,
          messages: [{ role: 'user', content: 'x' }],
          tools: [{ name: 't', input_schema: 'nope' as never }],
        })
        .catch((e: unknown) => e),
    );
    expect(badTool).toBeInstanceOf(Anthropic.BadRequestError);
  });

  it('passes extended thinking on to a model configured to think, and drops it cleanly for one that is not', async () => {
    const base = e2eFleet();
    const fleet = e2eFleet({
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
    h = await gatewayHarness({ fleet });
    const ask = (model: string) =>
      h.until(
        client()
          .messages.stream({
            model,
            max_tokens: 2000,
            thinking: { type: 'enabled', budget_tokens: 1024 },
            messages: [{ role: 'user', content: 'Why is the sky blue?' }],
          })
          .finalMessage(),
      );
    const thought = await ask('thinker');
    expect(thought.content.map((b) => b.type)).toEqual(['thinking', 'text']);
    expect(thought.content[0]).toMatchObject({
      type: 'thinking',
      thinking: expect.stringMatching(/^Let me think\./),
    });
    // Ollama would answer 400 to `think` for this model: it is not sent, and the answer comes plain
    const plain = await ask('coder');
    expect(plain.stop_reason).toBe('end_turn');
    expect(plain.content.map((b) => b.type)).toEqual(['text']);
  });
});
