import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { ModelConfig } from '../../config/schema.ts';
import { ModelSchema } from '../../config/schema.ts';
import { isAppError } from '../../core/errors/index.ts';
import type { ResponderInput, ResponderMessage } from './responder.ts';
import { defineScript, parseScript, scriptFromValue, scriptResponder } from './script-responder.ts';
import type { EmulatorRuleInput } from '../../config/emulator-schema.ts';

const input = (messages: ResponderMessage[], extra: Partial<ResponderInput> = {}): ResponderInput => ({
  model: 'coder',
  messages,
  tools: [],
  ...extra,
});
const user = (content: string): ResponderMessage => ({ role: 'user', content });
const sys = (content: string): ResponderMessage => ({ role: 'system', content });
const tool = (content: string): ResponderMessage => ({ role: 'tool', content });
const me = (content: string): ResponderMessage => ({ role: 'assistant', content });
const reply = (rules: EmulatorRuleInput[], i: ResponderInput, models?: ModelConfig[]) =>
  scriptResponder(defineScript({ rules }), models ? { models } : {})(i);
const model = (emulator: unknown): ModelConfig =>
  ModelSchema.parse({ name: 'coder', memoryGiB: 4, servers: ['box'], emulator });

describe('script rules: matchers', () => {
  it('matches the model by name or /regex/, and the agent header', () => {
    const rules: EmulatorRuleInput[] = [
      { model: '/^qwen-/', agent: 'tester', text: 'qwen tester' },
      { agent: '/^impl/', text: 'implementer' },
      { model: 'coder', text: 'coder' },
    ];
    expect(reply(rules, input([user('x')], { model: 'qwen-fast', agent: 'tester' })).content).toBe(
      'qwen tester',
    );
    expect(reply(rules, input([user('x')], { model: 'qwen-fast', agent: 'implementer-2' })).content).toBe(
      'implementer',
    );
    expect(reply(rules, input([user('x')])).content).toBe('coder');
    // no header: an agent rule never matches
    expect(reply([{ agent: '/.*/', text: 'a' }], input([user('x')])).content).not.toBe('a');
  });

  it('matches the system prompt, the last user message and the last message', () => {
    const rules: EmulatorRuleInput[] = [
      { system: 'You are the (?<role>\\w+)\\.', user: 'write (\\S+)', text: '$<role> writes $1' },
      { match: '^ok$', text: 'last was ok' },
    ];
    const asked = [
      sys('Intro.'),
      sys('You are the implementer.'),
      user('write src/a.ts'),
      me('done?'),
      user('ok'),
    ];
    expect(reply(rules, input(asked)).content).toBe('last was ok');
    expect(reply(rules, input(asked.slice(0, 3))).content).toBe('implementer writes src/a.ts');
    // the user rule looks at the last *user* message, even after a tool result
    expect(reply(rules, input([...asked.slice(0, 3), tool('written')])).content).toBe(
      'implementer writes src/a.ts',
    );
    expect(reply(rules, input([user('write a.ts')])).content).not.toMatch(/writes/);
  });

  it('matches the whole conversation with prompt', () => {
    const rules: EmulatorRuleInput[] = [{ prompt: 'Agent (?<agent>\\w+):', user: 'state', text: '$<agent>' }];
    const asked = [
      sys('You are the arbiter.'),
      user('Agent tester: check the code'),
      me('{}'),
      user('state: 2'),
    ];
    expect(reply(rules, input(asked)).content).toBe('tester');
    expect(reply(rules, input([user('state: 1')])).content).not.toBe('tester');
  });

  it('matches tool results (any, none, or by content), the role, offered tools and format', () => {
    const rules: EmulatorRuleInput[] = [
      { toolResult: 'FAIL (\\S+)', text: 'fix $1' },
      { toolResult: true, text: 'tool said something' },
      { tools: ['write_file', 'run_command'], toolResult: false, text: 'can write and run' },
      { format: true, json: { action: 'finish' } },
      { role: 'user', text: 'plain' },
    ];
    expect(reply(rules, input([user('go'), tool('FAIL test/a.test.ts\n  expected 3')])).content).toBe(
      'fix test/a.test.ts',
    );
    expect(reply(rules, input([user('go'), tool('PASS')])).content).toBe('tool said something');
    const tools = ['read_file', 'write_file', 'run_command'];
    expect(reply(rules, input([user('go')], { tools })).content).toBe('can write and run');
    expect(reply(rules, input([user('go')], { tools: ['write_file'] })).content).toBe('plain');
    expect(reply(rules, input([user('go')], { format: { type: 'object' } })).content).toBe(
      '{"action":"finish"}',
    );
  });
});

describe('script rules: turns', () => {
  const rules: EmulatorRuleInput[] = [
    { user: 'implement', turn: 1, toolCalls: [{ name: 'write_file', arguments: { content: 'wrong' } }] },
    { user: 'implement', turn: 2, toolCalls: [{ name: 'write_file', arguments: { content: 'right' } }] },
    { user: 'implement', turn: '3+', text: 'done already' },
  ];
  const content = (messages: ResponderMessage[]) =>
    reply(rules, input(messages)).toolCalls?.[0]?.arguments.content ?? reply(rules, input(messages)).content;

  it('counts the times the conditions held over the conversation, with no state', () => {
    const first = [user('implement add')];
    expect(content(first)).toBe('wrong');
    const second = [...first, me('(wrote)'), tool('FAIL'), me('retrying'), user('implement add, tests fail')];
    // the earlier points: before "(wrote)" the rule held; before "retrying" the last user message was still "implement add"
    expect(content(second)).toBe('done already');
    const retry = [...first, me('(wrote)'), user('implement it again')];
    expect(content(retry)).toBe('right');
    expect(content([...retry, me('(wrote)'), user('implement, third time')])).toBe('done already');
    // the same conversation asked twice gives the same answer: nothing is remembered between calls
    expect(content(retry)).toBe('right');
  });

  it('is per conversation: another conversation starts at turn 1', () => {
    expect(content([user('implement mul')])).toBe('wrong');
  });
});

describe('script rules: replies', () => {
  it('substitutes groups in text, tool names and arguments; unknown groups stay as written', () => {
    const rules: EmulatorRuleInput[] = [
      {
        user: 'create (\\S+) saying (?<word>\\w+)',
        text: 'Creating $1 ($$1 is literal).',
        toolCalls: [
          {
            name: 'write_file',
            arguments: { path: '$1', content: 'echo "$<word>" "$3" "$<nope>"\n', lines: [1, '$1'] },
          },
        ],
      },
    ];
    const out = reply(rules, input([user('create a.sh saying hello')]));
    expect(out.content).toBe('Creating a.sh ($1 is literal).');
    expect(out.toolCalls).toEqual([
      {
        name: 'write_file',
        arguments: { path: 'a.sh', content: 'echo "hello" "$3" "$<nope>"\n', lines: [1, 'a.sh'] },
      },
    ]);
    // a rule without regexes leaves every $ as written (scripted code keeps its own $1)
    expect(reply([{ text: "sed 's/(a)/$1/'" }], input([user('x')])).content).toBe("sed 's/(a)/$1/'");
  });

  it('keeps multi-line file contents from YAML block scalars exactly', () => {
    const script = parseScript(
      `rules:
  - user: "write the module"
    form: tags
    toolCalls:
      - name: write_file
        arguments:
          path: src/add.ts
          content: |
            export function add(a: number, b: number): number {
              return a + b; // \${a} stays
            }
`,
      'script.yaml',
    );
    const out = scriptResponder(script)(input([user('write the module')]));
    expect(out.toolCalls).toBeUndefined();
    const call = JSON.parse(out.content.replace(/<\/?tool_call>/g, '')) as { arguments: { content: string } };
    expect(call.arguments.content).toBe(
      'export function add(a: number, b: number): number {\n  return a + b; // ${a} stays\n}\n',
    );
  });

  it('passes on thinking (when asked), the delay and the token count', () => {
    const rules: EmulatorRuleInput[] = [{ text: 'Hi', thinking: 'Greet.', delayMs: 1500, tokens: 300 }];
    expect(reply(rules, input([user('x')]))).toEqual({ content: 'Hi', delayMs: 1500, outputTokens: 300 });
    expect(reply(rules, input([user('x')], { think: true })).thinking).toBe('Greet.');
  });

  it('answers with the first matching rule, else the default reply', () => {
    const out = reply([{ user: '^hi$', text: 'Hello!' }], input([user('something else')]));
    expect(out.content.length).toBeGreaterThan(0);
    expect(out.content).not.toBe('Hello!');
  });
});

describe('script rules with the fleet config', () => {
  it('tries the script, then the model’s own rules, then the fleet’s', () => {
    const models = [model({ rules: [{ user: 'a|b', text: 'own' }] })];
    const respond = scriptResponder(defineScript({ rules: [{ user: 'a', text: 'script' }] }), {
      models,
      fleetRules: defineScript({ rules: [{ user: '.', text: 'fleet' }] }).rules,
    });
    expect(respond(input([user('a')])).content).toBe('script');
    expect(respond(input([user('b')])).content).toBe('own');
    expect(respond(input([user('c')])).content).toBe('fleet');
    // another model does not see coder's own rules
    expect(respond(input([user('b')], { model: 'other' })).content).toBe('fleet');
  });

  it('writes calls without a form in one drawn from the model’s rates; a fixed form wins', () => {
    const models = [model({ toolCallForms: { python: 1 } })];
    const call = { name: 'run_command', arguments: { command: 'npm test' } };
    expect(reply([{ toolCalls: [call] }], input([user('x')]), models).content).toBe(
      'run_command(command="npm test")',
    );
    expect(reply([{ toolCalls: [call], form: 'native' }], input([user('x')]), models).toolCalls).toEqual([
      call,
    ]);
    expect(reply([{ toolCalls: [call] }], input([user('x')])).toolCalls).toEqual([call]);
  });

  it('calls an offered tool by default with callTools, with arguments from its schema', () => {
    const models = [model({ callTools: true, toolCallForms: { tags: 1 } })];
    const respond = scriptResponder(undefined, { models });
    const schema = { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] };
    const asked = input([user('do it')], { tools: ['read_file'], toolParameters: { read_file: schema } });
    const out = respond(asked);
    const call = JSON.parse(out.content.replace(/<\/?tool_call>/g, '')) as {
      name: string;
      arguments: { path: unknown };
    };
    expect(call.name).toBe('read_file');
    expect(typeof call.arguments.path).toBe('string');
    expect(respond(asked)).toEqual(out);
    // after a tool result, or with no tools, it answers text
    expect(respond(input([user('do it'), tool('ok')], { tools: ['read_file'] })).content).not.toMatch(
      /tool_call/,
    );
    expect(respond(input([user('do it')])).toolCalls).toBeUndefined();
  });
});

describe('script validation', () => {
  const bad = (raw: unknown): string => {
    try {
      scriptFromValue(raw, 'bad.yaml');
    } catch (e) {
      if (isAppError(e)) return e.message;
    }
    return 'no error';
  };
  it('names the file, the key, what was expected and what was found', () => {
    expect(bad({ rules: [] })).toBe('bad.yaml: rules: expected at least one rule, found an empty list');
    expect(bad({ rules: [{ user: '(', text: 'x' }] })).toBe(
      'bad.yaml: rules[0].user: expected a valid regular expression, found "("',
    );
    expect(bad({ rules: [{ user: 'x' }] })).toMatch(/rules\[0\]: expected "text", "json" or "toolCalls"/);
    expect(bad({ rules: [{ text: 'x', form: 'xmlish' }] })).toMatch(
      /rules\[0\]\.form: expected one of "native", .*found "xmlish"/,
    );
    expect(bad({ rules: [{ text: 'x', turn: 0 }] })).toMatch(/rules\[0\]\.turn: expected a turn number/);
    expect(bad({ rules: [{ text: 'x', delayMs: -1 }] })).toMatch(
      /rules\[0\]\.delayMs: expected milliseconds >= 0, found -1/,
    );
    expect(bad({ rules: [{ text: 'x', toolResult: 3 }] })).toMatch(
      /rules\[0\]\.toolResult: expected true.*false.*, found 3/,
    );
    expect(bad({ rules: [{ text: 'x', json: {} }] })).toMatch(/expected "json" alone/);
    expect(bad({ rules: [{ text: 'x', model: '/(/' }] })).toMatch(
      /rules\[0\]\.model: expected a valid regular expression/,
    );
    expect(bad({ rules: [{ text: 'x', color: 'red' }] })).toBe('bad.yaml: rules[0]: unknown key color');
    expect(() => parseScript('rules: [', 'b.yaml')).toThrow(/b.yaml: invalid YAML/);
  });
});

describe('the README example', () => {
  it('parses and behaves as the README says', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const block = /```yaml\n(emulator:\n {2}rules:[\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const respond = scriptResponder(
      scriptFromValue((parse(block!) as { emulator: unknown }).emulator, 'README'),
    );
    const system = sys('You are the implementer. Write code.');
    const first = respond(input([system, user('implement add')]));
    expect(first.content).toMatch(
      /^Writing src\/add\.ts\.\nwrite_file\(path="src\/add\.ts", content="""export/,
    );
    expect(first.content).toContain('return a - b;');
    const healed = respond(
      input([system, user('implement add'), me(first.content), tool('FAIL add(1, 2) = -1')]),
    );
    expect(healed.toolCalls?.[0]?.arguments.content).toBe(
      'export const add = (a: number, b: number) => a + b;\n',
    );
    const decision = respond(
      input([user('goal: sum two numbers')], { model: 'qwen-fast', format: { type: 'object' } }),
    );
    expect(JSON.parse(decision.content)).toEqual({
      action: 'consult',
      specialist: 'coder',
      instruction: 'implement sum two numbers',
    });
    expect(decision.delayMs).toBe(1500);
  });
});
