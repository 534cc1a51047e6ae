import { describe, expect, it } from 'vitest';
import { coerceToSchema } from './coerce-to-schema.ts';
import { GET_WEATHER, WRITE_FILE } from './test-tools.ts';

const loose = { coerce: true };
const strict = { coerce: false };

describe('coerceToSchema', () => {
  it('accepts valid arguments unchanged', () => {
    expect(coerceToSchema({ location: 'Paris', days: 2 }, GET_WEATHER.parameters, strict)).toEqual({
      ok: true,
      value: { location: 'Paris', days: 2 },
      coerced: false,
    });
  });

  it('names the path, the expectation and what was found', () => {
    const r = coerceToSchema({ location: 'Paris', days: 'two' }, GET_WEATHER.parameters, loose);
    expect(r).toEqual({ ok: false, error: 'days: expected integer, found string "two"' });
    expect(coerceToSchema({}, WRITE_FILE.parameters, loose)).toEqual({
      ok: false,
      error: 'arguments: missing required "path", "content"',
    });
  });

  it('coerces numbers, booleans and enums from strings, drops a null optional', () => {
    const r = coerceToSchema(
      { location: 'Paris', days: '3', detailed: 'true', unit: 'Celsius', extra: null },
      GET_WEATHER.parameters,
      loose,
    );
    expect(r).toEqual({
      ok: true,
      value: { location: 'Paris', days: 3, detailed: true, unit: 'celsius', extra: null },
      coerced: true,
    });
    expect(coerceToSchema({ location: 'P', days: null }, GET_WEATHER.parameters, loose)).toMatchObject({
      ok: true,
      value: { location: 'P' },
    });
  });

  it('wraps a single value in an array and parses JSON written as a string', () => {
    const schema = {
      type: 'object',
      properties: { paths: { type: 'array', items: { type: 'string' } }, opts: { type: 'object' } },
    };
    expect(coerceToSchema({ paths: 'a.ts', opts: '{"x": 1}' }, schema, loose)).toMatchObject({
      ok: true,
      value: { paths: ['a.ts'], opts: { x: 1 } },
    });
    expect(coerceToSchema({ paths: '["a", "b"]' }, schema, loose)).toMatchObject({
      value: { paths: ['a', 'b'] },
    });
  });

  it('renames arguments by alias map or case, drops properties the tool forbids', () => {
    expect(
      coerceToSchema({ file_path: 'a', Content: 'x', mode: 'w' }, WRITE_FILE.parameters, {
        coerce: true,
        aliases: { file_path: 'path' },
      }),
    ).toEqual({ ok: true, value: { path: 'a', content: 'x' }, coerced: true });
    expect(coerceToSchema({ path: 'a', content: 'x', mode: 'w' }, WRITE_FILE.parameters, strict)).toEqual({
      ok: false,
      error: 'mode: not a property of the arguments',
    });
  });

  it('tries anyOf/oneOf branches strictly before coercing', () => {
    const schema = { anyOf: [{ type: 'string' }, { type: 'integer' }] };
    expect(coerceToSchema('5', schema, loose)).toEqual({ ok: true, value: '5', coerced: false });
    expect(coerceToSchema(true, { oneOf: [{ type: 'integer' }, { type: 'string' }] }, loose)).toEqual({
      ok: true,
      value: 'true',
      coerced: true,
    });
    expect(coerceToSchema(null, schema, loose).ok).toBe(false);
  });
});
