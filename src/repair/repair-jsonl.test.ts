import { describe, expect, it } from 'vitest';
import { repairJsonlLine } from './repair-jsonl.ts';

const tools = [
  {
    type: 'function',
    function: {
      name: 'read_file',
      parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
    },
  },
];

describe('repairJsonlLine', () => {
  it('turns one input line into one output line', () => {
    const raw = '<tool_call>{"name": "read_file", "arguments": {"path": "a"}}</tool_call>';
    expect(repairJsonlLine(JSON.stringify({ id: 'r1', raw, tools }), 'f:1')).toEqual({
      ok: true,
      output: {
        id: 'r1',
        verdict: 'calls',
        calls: [{ name: 'read_file', arguments: { path: 'a' } }],
        rungs: [2],
        forms: ['tool_call_tag'],
        problems: [],
      },
    });
    const unknown = repairJsonlLine(
      JSON.stringify({ id: 2, raw: '{"name": "x", "arguments": {"k": 1}}', tools: null }),
      'f:2',
    );
    expect(unknown.ok && unknown.output.calls).toEqual([{ name: 'x', arguments: { k: 1 } }]);
  });

  it('names the line and what was wrong', () => {
    expect(repairJsonlLine('{"id": 1, "raw": ', 'f:3')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^f:3: not JSON/),
    });
    expect(repairJsonlLine('[1]', 'f:4')).toEqual({
      ok: false,
      error: 'f:4: expected an object {"id", "raw", "tools"}',
    });
    expect(repairJsonlLine('{"id": "a", "tools": null}', 'f:5')).toEqual({
      ok: false,
      error: 'f:5: "raw": expected the model\'s text as a string, found nothing',
    });
    expect(repairJsonlLine('{"id": {}, "raw": ""}', 'f:6')).toEqual({
      ok: false,
      error: 'f:6: "id": expected a string or number, found {}',
    });
    expect(repairJsonlLine('{"id": "a", "raw": "", "tools": {"name": "x"}}', 'f:7')).toEqual({
      ok: false,
      error: 'f:7: tools: expected an array of tools or null, found {"name":"x"}',
    });
  });
});
