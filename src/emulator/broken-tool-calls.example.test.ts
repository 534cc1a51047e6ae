// examples/broken-tool-calls.yaml through the emulator's /api/chat: each model's tool calls come
// out in the forms its config names, at about their rates, the rest native (deterministic: the
// same requests give the same replies on every run).
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFleetFile, type ToolCallForm } from '../config/index.ts';
import { harness } from './testing/emulator-harness.ts';

const fleet = loadFleetFile(resolve(import.meta.dirname, '../../examples/broken-tool-calls.yaml'), {
  env: {},
});
const TOOLS = [
  {
    type: 'function',
    function: {
      name: 'read_file',
      parameters: {
        type: 'object',
        properties: { path: { type: 'string' }, limit: { type: 'integer', minimum: 1, maximum: 99 } },
        required: ['path', 'limit'],
      },
    },
  },
];

type Call = { function: { name: string; arguments: Record<string, unknown> } };

/** which form a reply is in, from what it looks like (checked in this order) */
function formOf(content: string, calls: Call[] | undefined): ToolCallForm | 'unknown' {
  if (calls?.length) {
    const c = calls[0]!.function;
    if (c.name !== 'read_file') return 'misnamed';
    return typeof c.arguments.limit === 'string' ? 'string-numbers' : 'native';
  }
  const shapes: [ToolCallForm, RegExp][] = [
    ['qwen-xml', /^<tool_call>\n<function=/],
    ['repeat', /^(<tool_call>\n.*\n<\/tool_call>\n){2}/],
    ['tags', /^<tool_call>\n\{/],
    ['tools-tags', /^<tools>\n/],
    ['pipe-tags', /^<\|tool_call\|>\[/],
    ['fenced', /^```json\n/],
    ['gemma', /^```tool_code\n/],
    ['functiongemma', /^<start_function_call>call:/],
    ['mistral-v11', /^\[TOOL_CALLS\]\w+\[ARGS\]/],
    ['mistral', /^\[TOOL_CALLS\] \[/],
    ['llama', /^<\|python_tag\|>\{/],
    ['function-tag', /^<function=\w+>\{/],
    ['openai-envelope', /^\{"type": "function"/],
    ['string-arguments', /^\{"name": "\w+", "arguments": "/],
    ['parameters', /^\{"name": "\w+", "parameters"/],
    ['args', /^\{"name": "\w+", "args"/],
    ['trailing-comma', /^\{"name".*,\}$/],
    ['single-quotes', /^\{'name'/],
    ['json', /^\{"name": "\w+", "arguments": \{.*\}\}$/],
    ['missing-brace', /^\{"name": "\w+", "arguments": \{.*\}$/],
    ['array', /^\[\{"name"/],
    ['python-list', /^\[\w+\(/],
    ['python', /^\w+\(\w+=/],
    ['xml', /^<\w+>\n<\w+>/],
    ['narrated', /^[A-Z][^{}()]*\b(call|tool)\b/],
  ];
  return shapes.find(([, re]) => re.test(content))?.[0] ?? 'unknown';
}

describe('examples/broken-tool-calls.yaml', () => {
  const N = 100;
  for (const model of fleet.models) {
    it(`${model.name} breaks its calls in its configured forms at about their rates`, async () => {
      const h = harness(fleet, 'mac-mini');
      const counts: Record<string, number> = {};
      for (let i = 0; i < N; i++) {
        const res = await h.until(
          h.post('/api/chat', {
            model: model.name,
            messages: [{ role: 'user', content: `look at file ${i}` }],
            tools: TOOLS,
            stream: false,
          }),
        );
        const body = (await res.json()) as { message: { content: string; tool_calls?: Call[] } };
        const form = formOf(body.message.content, body.message.tool_calls);
        counts[form] = (counts[form] ?? 0) + 1;
      }
      const rates = model.emulator!.toolCallForms!;
      const expected: Record<string, number> = { ...rates };
      expected.native = 1 - Object.values(rates).reduce((a, b) => a + b, 0) + (rates.native ?? 0);
      expect(counts.unknown, JSON.stringify(counts)).toBeUndefined();
      for (const [form, rate] of Object.entries(expected))
        expect(Math.abs((counts[form] ?? 0) / N - rate), `${form} in ${JSON.stringify(counts)}`).toBeLessThan(
          0.15,
        );
      for (const form of Object.keys(counts)) expect(Object.keys(expected)).toContain(form);
      h.emulator.close();
    });
  }
});
