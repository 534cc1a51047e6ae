// Tool-call repair through the gateway: a local model that writes its calls as text (<tool_call>
// tags, fenced JSON, Python-call syntax) reaches the official openai, @anthropic-ai/sdk and ollama
// clients as native tool calls, streamed and not; with repair off the text comes unchanged; a
// plain answer and a tool's name in prose stay text.
import { afterEach, describe, expect, it } from 'vitest';
import type { Responder } from '../../src/emulator/responders/responder.ts';
import { ask, CLIENTS, TOOL_FINISH, WRITE } from './client-answers.ts';
import { BASE, e2eFleet, gatewayHarness, type GatewayHarness } from './gateway-harness.ts';

let h: GatewayHarness;
afterEach(() => h.close());

const ARGS = { path: 'src/a.ts', content: 'export const a = 1;\n' };
const json = JSON.stringify({ name: 'write_file', arguments: ARGS });

const FORMS: Record<string, string> = {
  '<tool_call> tags': `I will write the file.\n<tool_call>\n${json}\n</tool_call>`,
  'fenced JSON': `I will write the file.\n\`\`\`json\n${json}\n\`\`\``,
  'Python-call syntax': `I will write the file.\nwrite_file(path="src/a.ts", content="""export const a = 1;\n""")`,
};

/** a model that answers every prompt with `text` */
const says =
  (text: string): Responder =>
  () => ({ content: text });

const aliasOff = e2eFleet({
  aliases: {
    coder: ['qwen2.5-coder:32b'],
    raw: { models: ['qwen2.5-coder:32b'], tool_calls: { repair: 'off' } },
  },
});

describe.each(CLIENTS)('%s client: tool calls written as text', (client) => {
  for (const [form, text] of Object.entries(FORMS))
    it.each([false, true])(`${form} become native calls (stream: %s)`, async (stream) => {
      h = await gatewayHarness({ responder: says(text) });
      const a = await h.until(
        ask(client, BASE, h.fetch, { model: 'coder', prompt: 'write a.ts', tools: [WRITE], stream }),
      );
      expect(a.calls).toEqual([{ name: 'write_file', arguments: ARGS }]);
      expect(a.finish).toBe(TOOL_FINISH[client]);
      expect(a.text.trim()).toBe('I will write the file.');
      expect(a.text).not.toContain('write_file');
      const row = h.store.recent(1)[0]!;
      expect(row.toolCalls).toMatchObject({ verdict: 'calls' });
      expect(Object.values(row.toolCalls!.counts).reduce((x, y) => x + y, 0)).toBe(1);
    });

  it.each([false, true])('with repair off, the text comes unchanged (stream: %s)', async (stream) => {
    const text = FORMS['<tool_call> tags']!;
    h = await gatewayHarness({ fleet: aliasOff, responder: says(text) });
    const a = await h.until(
      ask(client, BASE, h.fetch, { model: 'raw', prompt: 'write a.ts', tools: [WRITE], stream }),
    );
    expect(a.calls).toEqual([]);
    expect(a.text).toBe(text);
    expect(h.store.recent(1)[0]!.toolCalls).toBeUndefined();
  });

  it.each([false, true])(
    'a plain answer and a tool named in prose stay text (stream: %s)',
    async (stream) => {
      const text = 'You could call write_file(path, content) to save it.\nThe {answer} is [42], and a < b.';
      h = await gatewayHarness({ responder: says(text) });
      const a = await h.until(
        ask(client, BASE, h.fetch, { model: 'coder', prompt: 'how?', tools: [WRITE], stream }),
      );
      expect(a.calls).toEqual([]);
      expect(a.text).toBe(text);
      expect(a.finish).not.toBe(TOOL_FINISH[client] === 'stop' ? 'tool_calls' : TOOL_FINISH[client]);
      expect(h.store.recent(1)[0]!.toolCalls).toMatchObject({ verdict: 'no_call', counts: {} });
    },
  );
});

describe('streamed plain answers with repair on', () => {
  it('arrive in the same chunks as with repair off', async () => {
    const text = 'I read the file. The answer is 42.\nNothing else to do here.';
    const chunksOf = async (model: string): Promise<string[]> => {
      h = await gatewayHarness({ fleet: aliasOff, responder: says(text) });
      const a = await h.until(
        ask('openai', BASE, h.fetch, { model, prompt: 'q', tools: [WRITE], stream: true }),
      );
      h.close();
      return a.chunks;
    };
    const off = await chunksOf('raw');
    const on = await chunksOf('coder');
    expect(on).toEqual(off);
    expect(on.length).toBeGreaterThan(5);
    h = await gatewayHarness();
  });

  it('are counted by rung and verdict on /metrics', async () => {
    h = await gatewayHarness({ responder: says(FORMS['<tool_call> tags']!) });
    await h.until(
      ask('anthropic', BASE, h.fetch, { model: 'coder', prompt: 'x', tools: [WRITE], stream: true }),
    );
    const metrics = await h.until(h.fetch(`${BASE}/metrics`).then((r) => r.text()));
    expect(metrics).toMatch(
      /orchestra_toolcall_repairs_total\{model="qwen2\.5-coder:32b",rung="(salvaged|repaired|coerced)",verdict="calls"\} 1/,
    );
  });
});

describe('repair: full (rungs 5-6 through the gateway)', () => {
  const fullFleet = e2eFleet({
    aliases: {
      agent: { models: ['qwen2.5-coder:32b'], tool_calls: { repair: 'full', interpreter: 'qwen2.5:7b' } },
    },
  });
  // a call that names the tool but lacks a required argument: rungs 1-4 cannot make it valid
  const broken = '<tool_call>\n{"name": "write_file", "arguments": {"path": "src/a.ts"}}\n</tool_call>';

  it.each(CLIENTS)(
    '%s: the interpreter model, constrained by the schema, supplies the call',
    async (client) => {
      const seen: { model: string; format: unknown }[] = [];
      h = await gatewayHarness({
        fleet: fullFleet,
        responder: (input) => {
          seen.push({ model: input.model, format: input.format });
          if (input.format) return { content: JSON.stringify(ARGS) };
          return { content: `Writing.\n${broken}` };
        },
      });
      const a = await h.until(
        ask(client, BASE, h.fetch, { model: 'agent', prompt: 'w', tools: [WRITE], stream: true }),
      );
      expect(a.calls).toEqual([{ name: 'write_file', arguments: ARGS }]);
      expect(a.finish).toBe(TOOL_FINISH[client]);
      expect(seen.at(-1)).toMatchObject({ model: 'qwen2.5:7b', format: { type: 'object' } });
      expect(h.store.recent(5).find((r) => r.alias === 'agent')!.toolCalls).toMatchObject({
        verdict: 'calls',
        rung: 5,
        counts: { interpreted: 1 },
      });
    },
  );

  it('the original model is re-asked when the interpreter cannot help', async () => {
    h = await gatewayHarness({
      fleet: fullFleet,
      responder: (input) => {
        if (input.format) return { content: 'no idea' };
        const last = input.messages.at(-1)?.content ?? '';
        if (last.includes('did not make a valid tool call')) return { content: FORMS['<tool_call> tags']! };
        return { content: broken };
      },
    });
    const a = await h.until(
      ask('openai', BASE, h.fetch, { model: 'agent', prompt: 'w', tools: [WRITE], stream: false }),
    );
    expect(a.calls).toEqual([{ name: 'write_file', arguments: ARGS }]);
    expect(h.store.recent(5).find((r) => r.alias === 'agent')!.toolCalls).toMatchObject({
      rung: 6,
      counts: { reasked: 1 },
    });
  });
});

describe('the repair rung of a whole answer', () => {
  const post = (stream: boolean): Promise<Response> =>
    h.until(
      h.fetch(`${BASE}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'coder',
          messages: [{ role: 'user', content: 'write a.ts' }],
          tools: [{ type: 'function', function: WRITE }],
          stream,
        }),
      }),
    );

  it('is in x-orchestra-tool-call-rung, for clients that only see native calls', async () => {
    h = await gatewayHarness({ responder: says(FORMS['Python-call syntax']!) });
    const r = await post(false);
    const body = (await r.json()) as { choices: { message: { tool_calls?: unknown[] } }[] };
    expect(body.choices[0]!.message.tool_calls).toHaveLength(1);
    expect(r.headers.get('x-orchestra-tool-call-rung')).toBe(String(h.store.recent(1)[0]!.toolCalls!.rung));
    expect(Number(r.headers.get('x-orchestra-tool-call-rung'))).toBeGreaterThan(1);
  });

  it('is absent from a plain answer', async () => {
    h = await gatewayHarness({ responder: says('The answer is 42.') });
    const r = await post(false);
    await r.json();
    expect(r.headers.get('x-orchestra-tool-call-rung')).toBeNull();
  });
});
