import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isAppError } from '../../core/errors/index.ts';
import { defaultResponder } from './default-responder.ts';
import { splitTokens } from './responder.ts';
import { parseScript, scriptResponder } from './script-responder.ts';
import { renderToolCalls } from './tool-call-forms.ts';

const ask = (content: string, model = 'm', role = 'user') => ({
  model,
  messages: [{ role, content }],
  tools: [],
});

describe('default responder', () => {
  it('writes exactly num_predict tokens, the same text for the same prompt', () => {
    const a = defaultResponder({ ...ask('hello'), maxTokens: 37 });
    expect(splitTokens(a.content)).toHaveLength(37);
    expect(defaultResponder({ ...ask('hello'), maxTokens: 37 })).toEqual(a);
    expect(defaultResponder({ ...ask('other'), maxTokens: 37 }).content).not.toBe(a.content);
  });

  it('derives a length from the prompt when none is requested', () => {
    const n = splitTokens(defaultResponder(ask('what now?')).content).length;
    expect(n).toBeGreaterThanOrEqual(16);
    expect(n).toBeLessThan(64);
  });
});

describe('tool call forms', () => {
  const calls = [{ name: 'read_file', arguments: { path: 'a.ts', lines: [1, 2] } }];
  it('renders native calls and every text form', () => {
    expect(renderToolCalls(calls, 'native')).toEqual({ content: '', toolCalls: calls });
    const json = '{"name":"read_file","arguments":{"path":"a.ts","lines":[1,2]}}';
    expect(renderToolCalls(calls, 'json').content).toBe(json);
    expect(renderToolCalls(calls, 'fenced').content).toBe('```json\n' + json + '\n```');
    expect(renderToolCalls(calls, 'tags', 'Reading.').content).toBe(
      `Reading.\n<tool_call>\n${json}\n</tool_call>`,
    );
    expect(renderToolCalls(calls, 'trailing-comma').content).toBe(
      '{"name":"read_file","arguments":{"path":"a.ts","lines":[1,2,],},}',
    );
    expect(renderToolCalls(calls, 'single-quotes').content).toBe(json.replaceAll('"', "'"));
    expect(renderToolCalls(calls, 'missing-brace').content).toBe(json.slice(0, -1));
    for (const form of ['trailing-comma', 'single-quotes', 'missing-brace'] as const)
      expect(() => JSON.parse(renderToolCalls(calls, form).content) as unknown).toThrow();
  });
});

describe('script responder', () => {
  const script = parseScript(
    `
rules:
  - model: /^qwen-fast/
    match: "list (\\\\w+)"
    toolCalls: [{ name: list_files, arguments: { dir: "." } }]
    form: tags
    text: "Listing $1."
  - role: tool
    text: "All done."
  - match: "^hi$"
    text: "Hello!"
    thinking: "A greeting."
`,
    'script.yaml',
  );
  const respond = scriptResponder(script);

  it('answers with the first matching rule, else the default reply', () => {
    expect(respond(ask('please list files', 'qwen-fast')).content).toBe(
      'Listing files.\n<tool_call>\n{"name":"list_files","arguments":{"dir":"."}}\n</tool_call>',
    );
    expect(respond(ask('please list files', 'other')).content).not.toMatch(/tool_call/);
    expect(respond(ask('ok', 'other', 'tool')).content).toBe('All done.');
    expect(respond(ask('hi'))).toEqual({ content: 'Hello!' });
    expect(respond({ ...ask('hi'), think: true })).toEqual({ content: 'Hello!', thinking: 'A greeting.' });
    expect(respond(ask('something else')).content.length).toBeGreaterThan(0);
  });

  it('rejects a bad script with the file, the rule and what was expected', () => {
    const bad = (text: string): string => {
      try {
        parseScript(text, 'bad.yaml');
      } catch (e) {
        if (isAppError(e)) return e.message;
      }
      return 'no error';
    };
    expect(bad('rules: []')).toMatch(/bad.yaml: rules: expected at least one rule/);
    expect(bad('rules:\n  - match: "("\n    text: x')).toMatch(
      /bad.yaml: rules.0.match: expected a valid regular expression/,
    );
    expect(bad('rules:\n  - match: x')).toMatch(/expected "text" or "toolCalls"/);
    expect(bad('rules:\n  - text: x\n    form: xml')).toMatch(/rules.0.form/);
    expect(bad('rules: [')).toMatch(/invalid YAML/);
  });
});

describe('structured output (format)', () => {
  const Decision = z.discriminatedUnion('action', [
    z.object({
      action: z.literal('consult'),
      specialist: z.enum(['coder', 'reviewer']),
      instruction: z.string(),
    }),
    z.object({
      action: z.literal('finish'),
      summary: z.string().min(12),
      confidence: z.number().min(0).max(1),
    }),
    z.object({ action: z.literal('ask_user'), questions: z.array(z.string()).min(2), urgent: z.boolean() }),
  ]);
  const schema = z.toJSONSchema(Decision) as Record<string, unknown>;

  it('answers JSON that the requested schema accepts, the same for the same prompt', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const out = defaultResponder({ ...ask(`decide ${i}`), format: schema });
      expect(Decision.safeParse(JSON.parse(out.content)).success, out.content).toBe(true);
      seen.add((JSON.parse(out.content) as { action: string }).action);
      expect(defaultResponder({ ...ask(`decide ${i}`), format: schema })).toEqual(out);
    }
    expect(seen.size).toBe(3);
    expect(
      () => JSON.parse(defaultResponder({ ...ask('x'), format: 'json' }).content) as unknown,
    ).not.toThrow();
  });
});
