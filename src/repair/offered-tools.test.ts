import { describe, expect, it } from 'vitest';
import { isAppError } from '../core/errors/index.ts';
import { toOfferedTools } from './offered-tools.ts';

const schema = { type: 'object', properties: { q: { type: 'string' } } };

describe('toOfferedTools', () => {
  it('reads OpenAI, Anthropic and core ToolSpec shapes, and null as unknown', () => {
    expect(
      toOfferedTools([
        { type: 'function', function: { name: 'a', description: 'A', parameters: schema } },
        { name: 'b', input_schema: schema },
        { name: 'c', parameters: schema },
        { name: 'd' },
      ]),
    ).toEqual([
      { name: 'a', description: 'A', parameters: schema },
      { name: 'b', parameters: schema },
      { name: 'c', parameters: schema },
      { name: 'd', parameters: { type: 'object', properties: {} } },
    ]);
    expect(toOfferedTools(null)).toBeNull();
    expect(toOfferedTools(undefined)).toBeNull();
  });

  it('attaches per-tool alias maps', () => {
    expect(toOfferedTools([{ name: 'c', parameters: schema }], { c: { query: 'q' } })![0]!.aliases).toEqual({
      query: 'q',
    });
  });

  it('names the bad element, what was expected and what was found', () => {
    const err = (tools: unknown[]): string => {
      try {
        toOfferedTools(tools);
      } catch (e) {
        if (isAppError(e)) return `${e.code}: ${e.message}`;
      }
      return 'no error';
    };
    expect(err([{ name: 'ok' }, { type: 'function', function: { name: 3 } }])).toBe(
      'bad_request: tools[1].function.name: expected a non-empty string, found 3',
    );
    expect(err(['x'])).toBe('bad_request: tools[0]: expected a tool object, found "x"');
    expect(err([{ name: 'x', parameters: [] }])).toBe(
      'bad_request: tools[0].parameters: expected a JSON Schema object, found []',
    );
  });
});
