import { jsonrepair } from 'jsonrepair';
import { describe, expect, it } from 'vitest';
import { splitTokens, type ResponderToolCall } from './responder.ts';
import {
  misnamed,
  renderToolCalls,
  REPEAT_WITHOUT_LIMIT,
  TOOL_CALL_FORMS,
  type ToolCallForm,
} from './tool-call-forms.ts';

const read: ResponderToolCall = { name: 'read_file', arguments: { path: 'a.ts', limit: 20 } };
const write: ResponderToolCall = {
  name: 'write_file',
  arguments: { path: 'b.ts', content: 'const s = "x";\nlog(`\\n${s}`);\n' },
};
const text = (form: ToolCallForm, calls: ResponderToolCall[] = [read], prose = ''): string =>
  renderToolCalls(calls, form, prose).content;
const J = '{"name": "read_file", "arguments": {"path": "a.ts", "limit": 20}}';

describe('tool-call forms', () => {
  it('renders each JSON-family form the way its model family writes it', () => {
    const expected: Partial<Record<ToolCallForm, string>> = {
      json: J,
      fenced: '```json\n' + J + '\n```',
      tags: `<tool_call>\n${J}\n</tool_call>`,
      'tools-tags': `<tools>\n${J}\n</tools>`,
      'pipe-tags': `<|tool_call|>[${J}]`,
      array: `[${J}]`,
      'openai-envelope': `{"type": "function", "function": ${J}}`,
      parameters: '{"name": "read_file", "parameters": {"path": "a.ts", "limit": 20}}',
      args: '{"name": "read_file", "args": {"path": "a.ts", "limit": 20}}',
      'string-arguments': '{"name": "read_file", "arguments": "{\\"path\\": \\"a.ts\\", \\"limit\\": 20}"}',
      mistral: `[TOOL_CALLS] [${J}]`,
      'mistral-v11': '[TOOL_CALLS]read_file[ARGS]{"path": "a.ts", "limit": 20}',
      llama: '<|python_tag|>{"name": "read_file", "parameters": {"path": "a.ts", "limit": 20}}',
      'function-tag': '<function=read_file>{"path": "a.ts", "limit": 20}</function>',
    };
    for (const [form, want] of Object.entries(expected)) expect(text(form as ToolCallForm), form).toBe(want);
  });

  it('renders Python, Gemma, FunctionGemma and XML-like forms', () => {
    expect(text('python')).toBe('read_file(path="a.ts", limit=20)');
    expect(text('python-list', [read, read])).toBe(
      '[read_file(path="a.ts", limit=20), read_file(path="a.ts", limit=20)]',
    );
    expect(text('gemma')).toBe('```tool_code\nread_file(path="a.ts", limit=20)\n```');
    expect(text('functiongemma')).toBe(
      '<start_function_call>call:read_file{path:<escape>a.ts<escape>,limit:20}<end_function_call>',
    );
    expect(text('xml')).toBe('<read_file>\n<path>a.ts</path>\n<limit>20</limit>\n</read_file>');
    expect(text('qwen-xml')).toBe(
      '<tool_call>\n<function=read_file>\n<parameter=path>\na.ts\n</parameter>\n<parameter=limit>\n20\n</parameter>\n</function>\n</tool_call>',
    );
  });

  it('writes multi-line strings as triple-quoted Python that reads back exactly', () => {
    // the content's backslash stays two characters; its quotes need no escape inside """
    expect(text('python', [write])).toBe(
      'write_file(path="b.ts", content="""const s = "x";\nlog(`\\\\n${s}`);\n""")',
    );
    const tricky = { name: 'w', arguments: { content: 'a\n"""b"' } };
    expect(text('python', [tricky])).toBe('w(content="""a\n""\\"b\\"""")');
    expect(
      text('python', [{ name: 'f', arguments: { on: true, off: false, none: null, list: [1, 'x'] } }]),
    ).toBe('f(on=True, off=False, none=None, list=[1, "x"])');
  });

  it('keeps every call of a reply, in order, after the prose', () => {
    expect(text('tags', [read, write], 'Reading first.')).toMatch(
      /^Reading first\.\n<tool_call>\n\{"name": "read_file".*<\/tool_call>\n<tool_call>\n\{"name": "write_file"/s,
    );
    expect(text('json', [read, write]).split('\n')[0]).toBe(J);
    expect(text('mistral-v11', [read, write])).toMatch(
      /^\[TOOL_CALLS\]read_file\[ARGS\].*\[TOOL_CALLS\]write_file\[ARGS\]/s,
    );
  });

  it('breaks the JSON exactly as named, and nothing else: jsonrepair gets the call back', () => {
    for (const form of ['trailing-comma', 'single-quotes', 'missing-brace'] as const) {
      const broken = text(form, [write]);
      expect(() => JSON.parse(broken) as unknown, form).toThrow();
      expect(JSON.parse(jsonrepair(broken)), form).toEqual(write);
    }
    expect(text('trailing-comma')).toBe(
      '{"name": "read_file", "arguments": {"path": "a.ts", "limit": 20,},}',
    );
    expect(text('single-quotes')).toBe("{'name': 'read_file', 'arguments': {'path': 'a.ts', 'limit': 20}}");
    // brackets inside strings are not touched
    const inString = { name: 'f', arguments: { q: 'a[0]}' } };
    expect(JSON.parse(jsonrepair(text('trailing-comma', [inString])))).toEqual(inString);
  });

  it('parses back to the calls for every form that is valid JSON', () => {
    for (const form of ['json', 'array', 'tags'] as const) {
      const json = text(form, [write]).replace(/<\/?tool_call>/g, '');
      const parsed = JSON.parse(json) as unknown;
      expect(Array.isArray(parsed) ? parsed[0] : parsed, form).toEqual(write);
    }
    const env = JSON.parse(text('string-arguments', [write])) as { arguments: string };
    expect(JSON.parse(env.arguments)).toEqual(write.arguments);
  });

  it('breaks native calls: misnamed names, numbers and booleans as strings', () => {
    const out = renderToolCalls([read], 'misnamed');
    expect(out.content).toBe('');
    expect(out.toolCalls![0]!.name).not.toBe('read_file');
    const squashed = (n: string): string =>
      n
        .toLowerCase()
        .replace(/^functions\./, '')
        .replace(/[^a-z]/g, '');
    const name = out.toolCalls![0]!.name;
    expect(squashed(name) === 'readfile' || name === 'read_fie', name).toBe(true);
    expect(
      new Set(['write_file', 'read_file', 'list_files', 'run_command', 'search_notes'].map(misnamed)).size,
    ).toBe(5);
    for (const name of ['write_file', 'listFiles', 'x']) expect(misnamed(name)).not.toBe(name);
    expect(
      renderToolCalls([{ name: 'f', arguments: { n: 5, ok: true, s: 'x', list: [1] } }], 'string-numbers')
        .toolCalls,
    ).toEqual([{ name: 'f', arguments: { n: '5', ok: 'true', s: 'x', list: ['1'] } }]);
  });

  it('repeats the call past the token limit, or a fixed number of times without one', () => {
    const limited = renderToolCalls([read], 'repeat', 'On it.', { maxTokens: 50 }).content;
    expect(splitTokens(limited).length).toBeGreaterThan(50);
    expect(limited.startsWith(`On it.\n<tool_call>\n${J}\n</tool_call>\n<tool_call>`)).toBe(true);
    const unlimited = renderToolCalls([read], 'repeat').content;
    expect(unlimited.split('<tool_call>').length - 1).toBe(REPEAT_WITHOUT_LIMIT);
  });

  it('narrates a call without making it', () => {
    const out = renderToolCalls([write], 'narrated', 'Sure.');
    expect(out.toolCalls).toBeUndefined();
    expect(out.content).toMatch(/^Sure\. .*write_file.*path "b\.ts"/);
    expect(out.content).not.toMatch(/[{}]/);
  });

  it('renders every form listed, deterministically', () => {
    for (const form of TOOL_CALL_FORMS) {
      const a = renderToolCalls([read, write], form);
      expect(a, form).toEqual(renderToolCalls([read, write], form));
      expect(a.content.length + (a.toolCalls?.length ?? 0), form).toBeGreaterThan(0);
    }
  });
});
