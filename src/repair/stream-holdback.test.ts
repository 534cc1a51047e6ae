import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StreamHoldback } from './stream-holdback.ts';

const TOOLS = ['Read', 'Write', 'Bash', 'write_file', 'TodoWrite'];
// a stand-in for the ladder: a region is a call when it names an offered tool as a call would
const isCall = (region: string): boolean =>
  /"name"\s*:\s*"(Read|Write|Bash|write_file)"/.test(region) || /^(write_file|Bash)\s*\(/.test(region);

/** what each push sends, then what end() leaves */
function run(chunks: string[]): { sent: string[]; held: string } {
  const h = new StreamHoldback(TOOLS, isCall);
  const sent = chunks.map((c) => h.push(c));
  return { sent, held: h.end() };
}

const words = (s: string): string[] => s.match(/\s*\S+|\s+$/g) ?? [];

describe('stream hold-back', () => {
  it('sends a plain answer token by token as it comes', () => {
    const text = 'I read the file.\nThe answer is 42 (a number), and it holds.\n- Bash is a shell.';
    const { sent, held } = run(words(text));
    expect(sent).toEqual(words(text));
    expect(held).toBe('');
  });

  it('holds a <tool_call> from its first character, sending the text before it', () => {
    const call = '<tool_call>\n{"name": "Write", "arguments": {"file_path": "a.txt"}}\n</tool_call>';
    const { sent, held } = run(['Let me write it.', '\n<tool', '_call>\n{"name"', call.slice(19)]);
    expect(sent).toEqual(['Let me write it.', '\n', '', '']);
    expect(held).toBe(call);
  });

  it('holds a fenced call, and everything after it, to the end', () => {
    const fenced = '```json\n{"name": "Read", "arguments": {"file_path": "x"}}\n```';
    const { sent, held } = run(['Reading:\n', ...words(fenced), '\nDone.']);
    expect(sent.join('')).toBe('Reading:\n');
    expect(held).toBe(fenced + '\nDone.');
  });

  it('sends a code block or a JSON example once it closes and is no call', () => {
    const code = '```ts\nconst x = { a: [1, 2] };\n```';
    const r1 = run(['Here:\n', ...words(code), ' ok']);
    expect(r1.sent.join('')).toBe(`Here:\n${code} ok`);
    expect(r1.sent.at(-1)).toBe(' ok');
    const r2 = run(['Use ', '{"mode": ', '"fast"}', ' then go.']);
    expect(r2.sent).toEqual(['Use ', '', '{"mode": "fast"}', ' then go.']);
  });

  it('holds a Python call on a line of its own, not a tool name in prose', () => {
    const py = 'write_file(path="a.ts", content="""x = (1,\n")"""\n)\n';
    const r1 = run(['Now:\n', ...words(py)]);
    expect(r1.sent.join('')).toBe('Now:\n');
    expect(r1.held).toBe(py);
    const r2 = run(['Read', ' the file, then call', ' write_file(path) when done.']);
    expect(r2.sent).toEqual(['', 'Read the file, then call', ' write_file(path) when done.']);
  });

  it('holds a marker split over deltas, and lets go of what turns out not to be one', () => {
    expect(run(['[', 'TOOL_', 'CALLS] [{"name":"Bash"}]']).sent).toEqual(['', '', '']);
    expect(run(['see [', 'the docs](x)']).sent).toEqual(['see ', '[the docs](x)']);
    expect(run(['<', 'b>bold</b>', ' text']).sent).toEqual(['', '<b>bold</b>', ' text']);
    expect(run(['ok\n<|tool', '_call>call:Bash{}<tool_call|>']).sent).toEqual(['ok\n', '']);
    expect(run(['<function_calls>', '<invoke name="Bash">']).sent).toEqual(['', '']);
    // a `<` at a delta's end waits for the next character: it may open a marker
    expect(run(['a <', ' b']).sent).toEqual(['a ', '< b']);
  });

  it('loses and duplicates nothing, whatever the chunking', () => {
    const parts = fc.constantFrom(
      'plain words ',
      '\n',
      '{"name": "Read", "arguments": {}}',
      '{"a": "b"}',
      '```\ncode\n```',
      '<tool_call>{"name":"Bash","arguments":{"command":"ls"}}</tool_call>',
      'write_file(path="x")\n',
      'a < b [x] {y} ',
      'it\'s "quoted" ',
    );
    fc.assert(
      fc.property(fc.array(parts, { maxLength: 8 }), fc.array(fc.nat(40), { maxLength: 12 }), (ps, cuts) => {
        const text = ps.join('');
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const chunks: string[] = [];
        let at = 0;
        for (const p of [...points, text.length]) {
          chunks.push(text.slice(at, p));
          at = p;
        }
        const { sent, held } = run(chunks);
        expect(sent.join('') + held).toBe(text);
      }),
    );
  });
});
