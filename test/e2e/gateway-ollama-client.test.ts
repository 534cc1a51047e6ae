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

  it("generates from a prompt, streamed and not, and refuses a raw prompt in Ollama's error shape", async () => {
    h = await gatewayHarness();
    const r = await h.until(client().generate({ model: 'coder', prompt: 'hi', system: 'Be brief.' }));
    expect(r).toMatchObject({ model: 'coder', done: true, done_reason: 'stop' });
    expect(r.response).toMatch(/\S/);
    expect(r.eval_count).toBeGreaterThan(0);
    const streamed = await h.until(
      (async () => {
        const parts = [];
        for await (const part of await client().generate({ model: 'coder', prompt: 'hi', stream: true }))
          parts.push(part);
        return parts;
      })(),
    );
    expect(streamed.length).toBeGreaterThan(2);
    expect(streamed.map((p) => p.response).join('').length).toBeGreaterThan(0);
    expect(streamed.at(-1)).toMatchObject({ done: true, done_reason: 'stop', response: '' });
    const rows = h.store.recent(2);
    expect(rows.map((u) => [u.api, u.alias, u.status])).toEqual([
      ['ollama', 'coder', 200],
      ['ollama', 'coder', 200],
    ]);
    const raw = await h.until(
      client()
        .generate({ model: 'coder', prompt: 'hi', raw: true })
        .catch((x: unknown) => x),
    );
    expect(raw).toMatchObject({ status_code: 400, error: expect.stringContaining('raw: a raw prompt') });
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
