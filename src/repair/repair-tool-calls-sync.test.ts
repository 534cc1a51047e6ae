import { describe, expect, it } from 'vitest';
import { repairToolCallsSync } from './repair-tool-calls-sync.ts';
import { TOOLS } from './test-tools.ts';

const repair = (text: string, tools = TOOLS) => repairToolCallsSync({ text }, tools);
const calls = (text: string) => repair(text).calls.map((c) => [c.name, c.arguments, c.rung, c.form]);
const PARIS = { location: 'Paris' };

describe('repairToolCallsSync: rung 1', () => {
  it('validates native calls, parsing and coercing their arguments', () => {
    const r = repairToolCallsSync(
      {
        text: '',
        nativeCalls: [
          { name: 'get_weather', arguments: PARIS },
          { name: 'get_weather', arguments: '{"location": "Rome", "days": "2"}' },
          { name: 'GetWeather', arguments: "{'location': 'Oslo',}" },
        ],
      },
      TOOLS,
    );
    expect(r.calls.map((c) => [c.name, c.arguments, c.rung])).toEqual([
      ['get_weather', PARIS, 1],
      ['get_weather', { location: 'Rome', days: 2 }, 4],
      ['get_weather', { location: 'Oslo' }, 3],
    ]);
    expect(r.verdict).toBe('calls');
  });
});

describe('repairToolCallsSync: salvage from text', () => {
  const P = '{"name": "get_weather", "arguments": {"location": "Paris"}}';
  it.each([
    [`<tool_call>\n${P}\n</tool_call>`, 'tool_call_tag'],
    [`<tools>${P}</tools>`, 'tools_tag'],
    [`<|tool_call|>[${P}]<|/tool_call|>`, 'pipe_tool_call'],
    ['```json\n' + P + '\n```', 'fenced'],
    [P, 'json'],
    [`[TOOL_CALLS] [${P}]`, 'mistral'],
    ['[TOOL_CALLS]get_weather[ARGS]{"location": "Paris"}', 'mistral'],
    ['<|python_tag|>{"name": "get_weather", "parameters": {"location": "Paris"}}<|eom_id|>', 'python_tag'],
    ['<function=get_weather>{"location": "Paris"}</function>', 'function_tag'],
    [
      '<start_function_call>call:get_weather{location:<escape>Paris<escape>}<end_function_call>',
      'function_gemma',
    ],
    ['```tool_code\nprint(get_weather(location="Paris"))\n```', 'tool_code'],
    ['get_weather(location="Paris")', 'python'],
    ['[get_weather(location="Paris")]', 'python'],
    ['<function_call>' + P + '</function_call>', 'xml_tag'],
    ['<get_weather><location>Paris</location></get_weather>', 'tool_name_tag'],
    ['<invoke name="get_weather"><parameter name="location">Paris</parameter></invoke>', 'invoke'],
    [
      '{"type": "function", "function": {"name": "get_weather", "arguments": "{\\"location\\": \\"Paris\\"}"}}',
      'json',
    ],
    ['{"name": "get_weather", "args": {"location": "Paris"}}', 'json'],
    ['Action: get_weather\nAction Input: {"location": "Paris"}', 'react'],
  ])('%s', (text, form) => {
    expect(calls(text)).toEqual([['get_weather', PARIS, 2, form]]);
  });

  it('reads Gemma 4 calls, Mistral calls followed by prose, and a closing tag inside an argument', () => {
    expect(calls('<|tool_call>call:get_weather{location:<|"|>Paris<|"|>}<tool_call|>')).toEqual([
      ['get_weather', PARIS, 2, 'gemma4'],
    ]);
    const m = repair('[TOOL_CALLS]get_weather[ARGS]{"location": "Paris"}\n\nLet me check that.');
    expect([m.calls.length, m.text]).toEqual([1, 'Let me check that.']);
    const w = repair(
      '<tool_call>{"name": "write_file", "arguments": {"path": "a.md", "content": "ends with </tool_call> here"}}</tool_call>',
    );
    expect(w.calls[0]?.arguments).toEqual({ path: 'a.md', content: 'ends with </tool_call> here' });
  });

  it('keeps several calls in order, dedupes a call repeated up to the token limit', () => {
    const w = '{"name": "write_file", "arguments": {"path": "a", "content": "b"}}';
    expect(
      calls(
        `<tool_call>${w}</tool_call>\n<tool_call>${'{"name": "get_weather", "arguments": {"location": "Paris"}}'}</tool_call>`,
      ).map((c) => c[0]),
    ).toEqual(['write_file', 'get_weather']);
    const loop = `<tool_call>${w}</tool_call>`.repeat(5) + '<tool_call>{"name": "write_file", "argu';
    const r = repair(loop);
    expect(r.calls).toHaveLength(1);
    expect(r.problems).toEqual([]);
  });

  it('repairs argument text (rung 3) and coerces to the schema (rung 4)', () => {
    expect(calls("{'name': 'get_weather', 'arguments': {'location': 'Paris',},}")).toEqual([
      ['get_weather', PARIS, 3, 'json'],
    ]);
    expect(
      calls(
        '<tool_call>{"name": "get_weather", "arguments": {"location": "Paris", "days": "3"}}</tool_call>',
      )[0]![1],
    ).toEqual({ location: 'Paris', days: 3 });
    expect(calls('write_file("a.ts", "x")')).toEqual([
      ['write_file', { path: 'a.ts', content: 'x' }, 4, 'python'],
    ]);
  });

  it('returns the text without the calls', () => {
    const r = repair(
      'Sure, checking.\n<tool_call>{"name": "get_weather", "arguments": {"location": "Paris"}}</tool_call><|im_end|>',
    );
    expect(r.text).toBe('Sure, checking.');
  });
});

describe('repairToolCallsSync: never a false call', () => {
  it.each([
    ['prose about a tool', 'The write_file tool writes content to a path.'],
    [
      'a quoted example',
      'For example, you could send: {"name": "get_weather", "arguments": {"location": "Paris"}}',
    ],
    ['a blockquote', '> <tool_call>{"name": "get_weather", "arguments": {"location": "Paris"}}</tool_call>'],
    ['inline code', 'Call `get_weather(location="Paris")` to get the weather.'],
    [
      'code defining the tool',
      '```python\ndef get_weather(location):\n    return 1\nget_weather(location="x")\n```',
    ],
    ['JSON data', '{"name": "Alice", "age": 30}'],
    [
      'a tool definition',
      '{"name": "get_weather", "description": "weather", "parameters": {"type": "object", "properties": {}}}',
    ],
    ['a call in prose', 'I think get_weather(location="Paris") would work here, if you want.'],
    [
      'a shape shown',
      'The format is:\n\n```json\n{"name": "get_weather", "arguments": {"location": "Paris"}}\n```',
    ],
    [
      'the call format shown',
      'Here is the tool call format:\n```json\n{"name": "get_weather", "arguments": {"location": "Paris"}}\n```',
    ],
    [
      'the usage shown to the user',
      'Usage you could follow:\n```json\n{"name": "get_weather", "arguments": {"location": "Paris"}}\n```',
    ],
  ])('%s', (_, text) => {
    const r = repair(text);
    expect(r.calls).toEqual([]);
    expect(r.verdict).toBe('no_call');
  });

  it('a block the model calls its own call is one, even "in the required format"', () => {
    const block = '```json\n{"name": "get_weather", "arguments": {"location": "Paris"}}\n```';
    for (const lead of [
      'Here is the tool call in the required format:',
      "I'll call the tool, formatted as JSON:",
      'Let me use get_weather with this syntax:',
    ])
      expect(
        calls(`${lead}\n\n${block}`).map((c) => c[0]),
        lead,
      ).toEqual(['get_weather']);
  });

  it("a name inside another call's code argument is not a call", () => {
    const r = repair('write_file(path="t.py", content="""\nget_weather(location="x")\n""")');
    expect(r.calls.map((c) => c.name)).toEqual(['write_file']);
  });

  it('gives unknown_tool, invalid and narrated verdicts', () => {
    expect(repair('<tool_call>{"name": "rm_rf", "arguments": {}}</tool_call>')).toMatchObject({
      verdict: 'unknown_tool',
      problems: [expect.stringContaining('"rm_rf" is not an offered tool')],
    });
    expect(repair('<tool_call>{"name": "write_file", "arguments": {"path": "a"}}</tool_call>')).toMatchObject(
      { verdict: 'invalid', problems: ['write_file: arguments: missing required "content"'] },
    );
    expect(repair('<tool_call>garbage</tool_call>').verdict).toBe('invalid');
    expect(repair('I will now call write_file to save the answer.').verdict).toBe('narrated');
    expect(repair('Let me write the file for you.').verdict).toBe('narrated');
    expect(repair('The weather in Paris is sunny.').verdict).toBe('no_call');
  });

  it('without the offered tools, takes names as written but not loose shapes inside prose', () => {
    expect(
      repairToolCallsSync(
        { text: '<tool_call>{"name": "anything", "arguments": {"a": 1}}</tool_call>' },
        null,
      ).calls,
    ).toEqual([{ name: 'anything', arguments: { a: 1 }, rung: 2, form: 'tool_call_tag' }]);
    expect(repairToolCallsSync({ text: 'Use:\nmax(a=1)\nto pick.' }, null).calls).toEqual([]);
    expect(repairToolCallsSync({ text: '{"name": "Alice", "age": 3}' }, null).calls).toEqual([]);
  });
});
