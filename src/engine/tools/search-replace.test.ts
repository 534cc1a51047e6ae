import { describe, expect, it } from 'vitest';
import { applyEdit, applyEdits } from './search-replace.ts';

const text = 'function add(a, b) {\n  return a + b;\n}\n\nfunction sub(a, b) {\n  return a - b;\n}\n';

describe('search/replace edits', () => {
  it('replaces a text that occurs once', () => {
    expect(applyEdit(text, { search: 'return a + b;', replace: 'return b + a;' }, 'edit')).toContain(
      'return b + a;',
    );
  });

  it('applies several edits in order, the second seeing the first', () => {
    const out = applyEdits(text, [
      { search: 'add', replace: 'plus' },
      { search: 'function plus', replace: 'export function plus' },
    ]);
    expect(out.startsWith('export function plus(a, b)')).toBe(true);
  });

  it('refuses an ambiguous text, naming the lines, unless replaceAll', () => {
    expect(() => applyEdit(text, { search: '(a, b) {', replace: '(x) {' }, 'edit')).toThrow(
      /edit: the search text occurs 2 times \(at lines 1, 5\); include more surrounding lines/,
    );
    expect(applyEdit(text, { search: '(a, b)', replace: '(x, y)', replaceAll: true }, 'edit')).not.toContain(
      '(a, b)',
    );
  });

  it('says where the file and the search text part ways when it is not found', () => {
    expect(() =>
      applyEdit(text, { search: 'function add(a, b) {\n  return a * b;', replace: '' }, 'edit 2'),
    ).toThrow(
      /edit 2: the search text is not in the file: it matches from line 1 on, but line 2 of the file is " {2}return a \+ b;" where the search text has " {2}return a \* b;"/,
    );
    expect(() => applyEdit(text, { search: 'function mul', replace: '' }, 'edit')).toThrow(
      /its line "function mul" is not in the file/,
    );
    expect(() => applyEdit(text, { search: '', replace: 'x' }, 'edit')).toThrow(/search text is empty/);
  });

  it('accepts a match that differs only in trailing spaces, when unique, like the exact splice', () => {
    const spaced = 'a  \nb\t\nc\n';
    expect(applyEdit(spaced, { search: 'a\nb\n', replace: 'X\n' }, 'edit')).toBe('X\nc\n');
    expect(applyEdit(spaced, { search: 'b', replace: 'B' }, 'edit')).toBe('a  \nB\t\nc\n');
    expect(applyEdit(spaced, { search: 'a\nb\n', replace: '' }, 'edit')).toBe('c\n');
  });

  it('keeps CRLF line ends when the search text uses LF', () => {
    expect(applyEdit('a\r\nb\r\nc\r\n', { search: 'a\nb', replace: 'x\ny' }, 'edit')).toBe('x\r\ny\r\nc\r\n');
  });
});
