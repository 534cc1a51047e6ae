// The official ollama client against the gateway's Ollama-compatible face.
import { Ollama } from 'ollama';
import { afterEach, describe, expect, it } from 'vitest';
import { BASE, gatewayHarness, weatherResponder, type GatewayHarness } from './gateway-harness.ts';

let h: GatewayHarness;
afterEach(() => h.close());

const client = () => new Ollama({ host: BASE, fetch: h.fetch });

describe('ollama client -> gateway Ollama face -> emulator', () => {
  it('lists aliases and models, chats streamed and not, with tool calls', async () => {
    h = await gatewayHarness({ responder: weatherResponder });
    const list = await h.until(client().list());
    expect(list.models.map((m) => m.name)).toEqual(expect.arrayContaining(['coder', 'qwen2.5:7b']));
    const r = await h.until(client().chat({ model: 'coder', messages: [{ role: 'user', content: 'hi' }] }));
    expect(r.done).toBe(true);
    expect(r.message.content.length).toBeGreaterThan(0);
    const streamed = await h.until(
      (async () => {
        let text = '';
        let last;
        for await (const part of await client().chat({
          model: 'coder',
          messages: [{ role: 'user', content: 'hi' }],
          stream: true,
        })) {
          text += part.message.content;
          last = part;
        }
        return { text, last };
      })(),
    );
    expect(streamed.text.length).toBeGreaterThan(0);
    expect(streamed.last).toMatchObject({ done: true, done_reason: 'stop' });
    const tool = await h.until(
      client().chat({
        model: 'coder',
        messages: [{ role: 'user', content: 'weather?' }],
        tools: [
          {
            type: 'function',
            function: {
              name: 'get_weather',
              description: 'w',
              parameters: { type: 'object', properties: { city: { type: 'string' } } },
            },
          },
        ],
      }),
    );
    expect(tool.message.tool_calls?.[0]?.function).toEqual({
      name: 'get_weather',
      arguments: { city: 'Paris' },
      index: 0,
    });
  });

  it('answers version and show, as Ollama clients check them before a chat', async () => {
    h = await gatewayHarness();
    expect((await h.until(client().version())).version).toMatch(/^\d+\.\d+\.\d+$/);
    const shown = await h.until(client().show({ model: 'coder:latest' }));
    expect(shown.model_info).toMatchObject({
      'general.architecture': 'orchestra',
      'orchestra.context_length': 8192,
    });
    expect(shown.capabilities).toContain('tools');
    const missing = await h.until(
      client()
        .show({ model: 'nope' })
        .catch((x: unknown) => x),
    );
    expect(missing).toMatchObject({ status_code: 404 });
  });

  it('reports an unknown model as Ollama does', async () => {
    h = await gatewayHarness();
    const e = await h.until(
      client()
        .chat({ model: 'nope', messages: [{ role: 'user', content: 'x' }] })
        .catch((x: unknown) => x),
    );
    expect(e).toMatchObject({ status_code: 404, error: expect.stringContaining('unknown model "nope"') });
  });
});
