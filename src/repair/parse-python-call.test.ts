import { describe, expect, it } from 'vitest';
import { parsePythonCalls } from './parse-python-call.ts';

describe('parsePythonCalls', () => {
  it('parses keyword arguments of every literal kind', () => {
    expect(
      parsePythonCalls(`f(a="x", b='y', c=3, d=-1.5, e=True, g=None, h=[1, 'z'], i={'k': (1, 2)})`),
    ).toEqual([
      {
        name: 'f',
        args: [],
        kwargs: { a: 'x', b: 'y', c: 3, d: -1.5, e: true, g: null, h: [1, 'z'], i: { k: [1, 2] } },
      },
    ]);
  });

  it('keeps triple-quoted strings verbatim, escapes decoded, raw strings raw', () => {
    const [call] = parsePythonCalls(
      'write_file(path="a.ts", content="""line "one"\nline\\ttwo\n""", re=r"\\d+")',
    )!;
    expect(call!.kwargs).toEqual({ path: 'a.ts', content: 'line "one"\nline\ttwo\n', re: '\\d+' });
  });

  it('parses lists of calls, dotted names, a print wrapper and positional arguments', () => {
    expect(parsePythonCalls('[a(x=1), b.c(2)]')!.map((c) => [c.name, c.args, c.kwargs])).toEqual([
      ['a', [], { x: 1 }],
      ['b.c', [2], {}],
    ]);
    expect(parsePythonCalls('print(default_api.get(q="x"))')![0]!.name).toBe('default_api.get');
  });

  it('refuses code: variables, expressions, nested calls, trailing text', () => {
    for (const code of [
      'f(x)',
      'f(a=b)',
      'f(a=1+2)',
      'f(a=g(1))',
      'f(a=1) and more',
      'x = f(a=1)',
      'f(a="open',
    ])
      expect(parsePythonCalls(code), code).toBeNull();
  });
});
