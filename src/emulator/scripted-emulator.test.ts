// Scripted replies through the emulator's HTTP routes on a manual clock: rules from the fleet
// config and from a JS object, the agent header, delays, token counts and per-model forms.
import { describe, expect, it } from 'vitest';
import { parseFleetText } from '../config/index.ts';
import { ManualClock } from '../lib/clock.ts';
import { inProcessFleet } from './in-process-fleet.ts';
import { defineScript } from './responders/script-responder.ts';
import { harness } from './testing/emulator-harness.ts';

const FLEET = `
servers:
  - { name: box, url: "http://127.0.0.1:11434", memoryGiB: 16, resident: [coder, arbiter] }
models:
  - name: coder
    memoryGiB: 4
    paramsB: 7
    servers: [box]
    emulator:
      seed: 3
      toolCallForms: { tags: 1 }
      rules:
        - user: "write (\\\\S+)"
          toolCalls:
            - name: write_file
              arguments:
                path: $1
                content: |
                  export const one = 1;
                  export const two = \${one} + 1;
  - { name: arbiter, memoryGiB: 2, paramsB: 3, servers: [box] }
emulator:
  rules:
    - agent: reviewer
      text: "LGTM"
    - model: arbiter
      format: true
      json: { action: consult, specialist: coder, instruction: "implement $1" }
      user: "goal: (.*)"
    - user: "^slow$"
      text: "finally"
      delayMs: 30000
      tokens: 250
`;

const fleet = parseFleetText(FLEET, 'fleet.yaml');
const chat = (model: string, content: string, extra: Record<string, unknown> = {}) => ({
  model,
  messages: [{ role: 'user', content }],
  stream: false,
  ...extra,
});
type ChatBody = {
  message: {
    content: string;
    tool_calls?: { function: { name: string; arguments: Record<string, unknown> } }[];
  };
  eval_count: number;
  prompt_eval_duration: number;
  done_reason: string;
};

describe('scripted emulator (fleet config)', () => {
  it("answers from a model's own rules in its configured form, file contents literal", async () => {
    const h = harness(fleet, 'box', { emulator: fleet.emulator });
    const res = await h.until(h.post('/api/chat', chat('coder', 'write src/n.ts')));
    const body = (await res.json()) as ChatBody;
    expect(body.message.tool_calls).toBeUndefined();
    expect(body.message.content).toMatch(/^<tool_call>\n\{"name": "write_file"/);
    const call = JSON.parse(body.message.content.replace(/<\/?tool_call>/g, '')) as {
      arguments: { path: string; content: string };
    };
    expect(call.arguments).toEqual({
      path: 'src/n.ts',
      content: 'export const one = 1;\nexport const two = ${one} + 1;\n',
    });
  });

  it('matches the x-orchestra-agent header, and answers structured JSON to a format request', async () => {
    const h = harness(fleet, 'box', { emulator: fleet.emulator });
    const asReviewer = await h.until(
      h.post('/api/chat', chat('coder', 'review it'), { headers: { 'x-orchestra-agent': 'reviewer' } }),
    );
    expect(((await asReviewer.json()) as ChatBody).message.content).toBe('LGTM');
    const anonymous = await h.until(h.post('/api/chat', chat('coder', 'review it')));
    expect(((await anonymous.json()) as ChatBody).message.content).not.toBe('LGTM');
    const format = { type: 'object', properties: { action: { type: 'string' } } };
    const decided = await h.until(h.post('/api/chat', chat('arbiter', 'goal: add numbers', { format })));
    expect(JSON.parse(((await decided.json()) as ChatBody).message.content)).toEqual({
      action: 'consult',
      specialist: 'coder',
      instruction: 'implement add numbers',
    });
  });

  it('holds a delayed reply on the manual clock and counts its scripted tokens', async () => {
    const h = harness(fleet, 'box', { emulator: fleet.emulator });
    const quick = (await (await h.until(h.post('/api/chat', chat('arbiter', 'quick')))).json()) as ChatBody;
    let done = false;
    const slow = h.post('/api/chat', chat('arbiter', 'slow')).then(async (r) => {
      done = true;
      return (await r.json()) as ChatBody;
    });
    await h.clock.advance(29_000);
    expect(done).toBe(false);
    const body = await h.until(slow);
    expect(body.message.content).toBe('finally');
    expect(body.eval_count).toBe(250);
    // the delay counts as time before the first token
    expect(body.prompt_eval_duration - quick.prompt_eval_duration).toBeGreaterThanOrEqual(29_990 * 1e6);
  });

  it('serves the same rules on the OpenAI layer', async () => {
    const h = harness(fleet, 'box', { emulator: fleet.emulator });
    const res = await h.until(
      h.post(
        '/v1/chat/completions',
        { model: 'arbiter', messages: [{ role: 'user', content: 'x' }] },
        {
          headers: { 'x-orchestra-agent': 'reviewer' },
        },
      ),
    );
    const body = (await res.json()) as { choices: { message: { content: string } }[] };
    expect(body.choices[0]!.message.content).toBe('LGTM');
  });
});

describe('unmatched: error', () => {
  it('fails a request no rule answers with what was asked, and still answers the others', async () => {
    const strict = parseFleetText(
      FLEET.replace('emulator:\n  rules:', 'emulator:\n  unmatched: error\n  rules:'),
      'f.yaml',
    );
    expect(strict.emulator!.unmatched).toBe('error');
    const h = harness(strict, 'box', { emulator: strict.emulator });
    const res = await h.until(
      h.post('/api/chat', chat('arbiter', 'what now?'), { headers: { 'x-orchestra-agent': 'architect' } }),
    );
    expect(res.status).toBe(500);
    expect(((await res.json()) as { error: string }).error).toBe(
      'emulator: no script rule answers this request (emulator.unmatched is error): model arbiter, ' +
        'agent architect, tools [], system (none), last message user "what now?"',
    );
    const ok = await h.until(h.post('/api/chat', chat('arbiter', 'slow')));
    expect(ok.status).toBe(200);
  });
});

describe('in-process fleet with a script object', () => {
  it('tries the script before the fleet config, and streams native calls', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const script = defineScript({
      rules: [
        {
          user: 'run the tests',
          toolCalls: [{ name: 'run_command', arguments: { command: 'npm test' } }],
          form: 'native',
        },
        { agent: 'reviewer', text: 'overridden' },
      ],
    });
    const f = inProcessFleet(fleet, { clock, script });
    const fetch = f.fetchFor(fleet.servers[0]!);
    const post = (body: unknown, headers: Record<string, string> = {}) =>
      fetch('http://box/api/chat', { method: 'POST', body: JSON.stringify(body), headers });
    const run = async <T>(p: Promise<T>): Promise<T> => {
      let settled = false;
      void p.finally(() => (settled = true)).catch(() => {});
      while (!settled) await clock.advance(100);
      return p;
    };
    const res = (await (await run(post(chat('coder', 'run the tests')))).json()) as ChatBody;
    expect(res.message.tool_calls?.[0]?.function).toMatchObject({
      name: 'run_command',
      arguments: { command: 'npm test' },
    });
    const rev = (await (
      await run(post(chat('coder', 'x'), { 'x-orchestra-agent': 'reviewer' }))
    ).json()) as ChatBody;
    expect(rev.message.content).toBe('overridden');
    f.close();
  });
});
