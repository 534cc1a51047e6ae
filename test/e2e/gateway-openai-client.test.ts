// The official openai client against the gateway in front of the emulator (in process, manual clock).
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { BASE, gatewayHarness, weatherResponder, type GatewayHarness } from './gateway-harness.ts';

let h: GatewayHarness;
afterEach(() => h.close());

function client(apiKey = 'unused'): OpenAI {
  return new OpenAI({ baseURL: `${BASE}/v1`, apiKey, fetch: h.fetch, maxRetries: 0 });
}

const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Weather for a city',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  },
];

describe('openai client -> gateway -> emulator', () => {
  it('chats without streaming, through the alias chain, with usage recorded', async () => {
    h = await gatewayHarness();
    const r = await h.until(
      client().chat.completions.create(
        { model: 'claude-3-5-sonnet', messages: [{ role: 'user', content: 'Say hello' }] },
        { headers: { 'x-orchestra-agent': 'architect' } },
      ),
    );
    expect(r.model).toBe('claude-3-5-sonnet');
    expect(r.choices[0]!.message.content!.length).toBeGreaterThan(0);
    expect(r.choices[0]!.finish_reason).toBe('stop');
    expect(r.usage!.completion_tokens).toBeGreaterThan(0);
    const row = h.store.recent(1)[0]!;
    expect(row).toMatchObject({
      api: 'openai',
      alias: 'claude-3-5-sonnet',
      model: 'qwen2.5-coder:32b',
      server: 'alpha',
      agent: 'architect',
      status: 200,
      fallbackUsed: false,
    });
    expect(row.loadMs).toBeGreaterThan(0); // the emulator loaded the 32B for this request
  });

  it('streams chunks that the client reassembles', async () => {
    h = await gatewayHarness();
    const text = await h.until(
      (async () => {
        const stream = await client().chat.completions.create({
          model: 'coder',
          messages: [{ role: 'user', content: 'Tell me something' }],
          stream: true,
          stream_options: { include_usage: true },
        });
        let out = '';
        let usage = 0;
        for await (const chunk of stream) {
          out += chunk.choices[0]?.delta.content ?? '';
          usage += chunk.usage?.completion_tokens ?? 0;
        }
        expect(usage).toBeGreaterThan(0);
        return out;
      })(),
    );
    expect(text.length).toBeGreaterThan(0);
  });

  it('does a full tool round trip', async () => {
    h = await gatewayHarness({ responder: weatherResponder });
    const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [
      { role: 'user', content: 'Weather in Paris?' },
    ];
    const first = await h.until(client().chat.completions.create({ model: 'coder', messages, tools }));
    const call = first.choices[0]!.message
      .tool_calls![0]! as OpenAI.Chat.Completions.ChatCompletionMessageFunctionToolCall;
    expect(first.choices[0]!.finish_reason).toBe('tool_calls');
    expect(call.function.name).toBe('get_weather');
    expect(JSON.parse(call.function.arguments)).toEqual({ city: 'Paris' });
    messages.push(first.choices[0]!.message, { role: 'tool', tool_call_id: call.id, content: 'sunny, 21 C' });
    const second = await h.until(client().chat.completions.create({ model: 'coder', messages, tools }));
    expect(second.choices[0]!.message.content).toContain('sunny, 21 C');
  });

  it('logs once per model what the translation could not carry (tool_choice "required")', async () => {
    const logged: { message: string; fields?: Record<string, unknown> }[] = [];
    const record = (message: string, fields?: Record<string, unknown>): void =>
      void logged.push(fields === undefined ? { message } : { message, fields });
    h = await gatewayHarness({
      responder: weatherResponder,
      logger: { info: record, warn: record, error: record },
    });
    const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [
      { role: 'user', content: 'Weather in Paris?' },
    ];
    for (let i = 0; i < 2; i++) {
      const r = await h.until(
        client().chat.completions.create({ model: 'coder', messages, tools, tool_choice: 'required' }),
      );
      expect(r.choices[0]!.finish_reason).toBe('tool_calls');
    }
    const notes = logged.filter((l) => l.message.startsWith('translation note'));
    expect(notes).toEqual([
      {
        message: 'translation note (logged once per server, model and note)',
        fields: {
          server: 'alpha',
          model: 'qwen2.5-coder:32b',
          note: 'tool choice "required" cannot be enforced by Ollama; tools offered as "auto"',
        },
      },
    ]);
  });

  it('raises typed errors from the OpenAI envelope', async () => {
    h = await gatewayHarness({ env: { ORCHESTRA_MASTER_KEY: 'master-1' } });
    const unauthorized = await h.until(
      client('wrong')
        .chat.completions.create({ model: 'coder', messages: [{ role: 'user', content: 'x' }] })
        .catch((e: unknown) => e),
    );
    expect(unauthorized).toBeInstanceOf(OpenAI.AuthenticationError);
    const missing = await h.until(
      client('master-1')
        .chat.completions.create({ model: 'gpt-17', messages: [{ role: 'user', content: 'x' }] })
        .catch((e: unknown) => e),
    );
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
    expect((missing as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('model_not_found');
    const bad = await h.until(
      client('master-1')
        .chat.completions.create({ model: 'coder', messages: [{ role: 'wizard', content: 'x' }] } as never)
        .catch((e: unknown) => e),
    );
    expect(bad).toBeInstanceOf(OpenAI.BadRequestError);
    const models = await h.until(client('master-1').models.list());
    expect(models.data.map((m) => m.id)).toContain('claude-3-5-sonnet');
    const one = await h.until(client('master-1').models.retrieve('claude-3-5-sonnet'));
    expect(one).toMatchObject({ id: 'claude-3-5-sonnet', object: 'model' });
    const none = await h.until(
      client('master-1')
        .models.retrieve('gpt-17')
        .catch((e: unknown) => e),
    );
    expect(none).toBeInstanceOf(OpenAI.NotFoundError);
  });
});
