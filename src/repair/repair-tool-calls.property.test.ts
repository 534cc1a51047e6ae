// Invariants of the ladder: a valid call written in any of the forms models use comes back as the
// same call; prose without a call never yields one; no input makes it throw or return a call to a
// tool that was not offered, or arguments the schema rejects.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coerceToSchema } from './coerce-to-schema.ts';
import { repairToolCallsSync } from './repair-tool-calls-sync.ts';
import type { OfferedTool } from './repair-types.ts';
import { TOOLS } from './test-tools.ts';

const NOTE: OfferedTool = {
  name: 'save_note',
  parameters: {
    type: 'object',
    properties: {
      title: { type: 'string' },
      body: { type: 'string' },
      priority: { type: 'integer' },
      pinned: { type: 'boolean' },
    },
    required: ['title', 'body'],
  },
};
const OFFERED = [NOTE, ...TOOLS];

type Args = { title: string; body: string; priority?: number; pinned?: boolean };
const args: fc.Arbitrary<Args> = fc.record(
  {
    title: fc.string(),
    body: fc.string({ unit: 'binary' }),
    priority: fc.integer({ min: -1000, max: 1000 }),
    pinned: fc.boolean(),
  },
  { requiredKeys: ['title', 'body'] },
);

const json = (v: unknown): string => JSON.stringify(v);
const py = (a: Args): string =>
  Object.entries(a)
    .map(([k, v]) => `${k}=${typeof v === 'boolean' ? (v ? 'True' : 'False') : JSON.stringify(v)}`)
    .join(', ');
const delimited = (a: Args, d: string): string =>
  `{${Object.entries(a)
    .map(([k, v]) => `${k}:${typeof v === 'string' ? d + v + d : String(v)}`)
    .join(',')}}`;

const FORMS: Record<string, (a: Args) => string> = {
  json: (a) => json({ name: 'save_note', arguments: a }),
  tool_call_tag: (a) => `<tool_call>\n${json({ name: 'save_note', arguments: a })}\n</tool_call>`,
  fenced: (a) => '```json\n' + JSON.stringify({ name: 'save_note', arguments: a }, null, 2) + '\n```',
  envelope: (a) => json({ type: 'function', function: { name: 'save_note', arguments: json(a) } }),
  parameters: (a) => json({ name: 'SaveNote', parameters: a }),
  mistral: (a) => `[TOOL_CALLS] ${json([{ name: 'save_note', arguments: a }])}`,
  mistral_v11: (a) => `[TOOL_CALLS]save_note[ARGS]${json(a)}`,
  python_tag: (a) => `<|python_tag|>${json({ name: 'save_note', parameters: a })}<|eom_id|>`,
  function_tag: (a) => `<function=save_note>${json(a)}</function>`,
  python: (a) => `save_note(${py(a)})`,
  python_list: (a) => `[save_note(${py(a)})]`,
  tool_code: (a) => '```tool_code\n' + `save_note(${py(a)})` + '\n```',
  function_gemma: (a) => `<start_function_call>call:save_note${delimited(a, '<escape>')}<end_function_call>`,
  gemma4: (a) => `<|tool_call>call:save_note${delimited(a, '<|"|>')}<tool_call|>`,
};

describe('repair ladder properties', () => {
  for (const [form, render] of Object.entries(FORMS))
    it(`a valid call written as ${form} round-trips`, () => {
      const safe = form === 'function_gemma' || form === 'gemma4' ? args.filter(noDelimiter) : args;
      fc.assert(
        fc.property(safe, fc.constantFrom('', 'Sure, saving it.\n', 'Okay.\n\n'), (a, lead) => {
          const r = repairToolCallsSync({ text: lead + render(a) }, OFFERED);
          expect(r.calls.map((c) => [c.name, c.arguments])).toEqual([['save_note', a]]);
          expect(r.text).toBe(lead.trim());
        }),
        { numRuns: 60 },
      );
    });

  it('prose without a call never yields one', () => {
    const word = fc.constantFrom(
      'the',
      'save_note',
      'SaveNote',
      'write_file',
      'get_weather',
      'tool',
      'call',
      'I',
      'will',
      'note',
      'file',
      'a',
      'name',
      'arguments',
      '{',
      '}',
      '[',
      ']',
      ':',
      ',',
      '.',
      '\n',
      '=',
      '42',
      'true',
      'example',
      'Action',
    );
    fc.assert(
      fc.property(fc.array(word, { maxLength: 60 }), (words) => {
        const r = repairToolCallsSync({ text: words.join(' ') }, OFFERED);
        expect(r.calls).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws, never calls a tool that was not offered, never returns arguments the schema rejects', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 300 }), fc.boolean(), (text, known) => {
        const r = repairToolCallsSync({ text }, known ? OFFERED : null);
        if (!known) return;
        for (const c of r.calls) {
          const tool = OFFERED.find((t) => t.name === c.name);
          expect(tool).toBeDefined();
          expect(coerceToSchema(c.arguments, tool!.parameters, { coerce: false }).ok).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

function noDelimiter(a: Args): boolean {
  return !/<escape>|<\|"\|>/.test(a.title + a.body);
}
