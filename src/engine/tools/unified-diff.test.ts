import { describe, expect, it } from 'vitest';
import { applyUnifiedDiff, parseUnifiedDiff } from './unified-diff.ts';

const file = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight'].join('\n') + '\n';
const apply = (text: string | undefined, diff: string) => applyUnifiedDiff(text, parseUnifiedDiff(diff));

describe('unified diffs', () => {
  it('applies a git diff with headers and two hunks', () => {
    const diff = [
      'diff --git a/f.txt b/f.txt',
      'index 1..2 100644',
      '--- a/f.txt',
      '+++ b/f.txt',
      '@@ -1,3 +1,3 @@',
      ' one',
      '-two',
      '+TWO',
      ' three',
      '@@ -6,3 +6,4 @@',
      ' six',
      ' seven',
      '+seven and a half',
      ' eight',
    ].join('\n');
    expect(apply(file, diff)).toBe(
      file.replace('two', 'TWO').replace('seven\n', 'seven\nseven and a half\n'),
    );
    expect(parseUnifiedDiff(diff)).toMatchObject({ oldPath: 'f.txt', newPath: 'f.txt' });
  });

  it('places a hunk whose line numbers are wrong where its lines are, and one without numbers', () => {
    expect(apply(file, '@@ -40,2 +40,2 @@\n five\n-six\n+6\n')).toBe(file.replace('six', '6'));
    expect(apply(file, '```diff\n@@ ... @@\n four\n-five\n+5\n```\n')).toBe(file.replace('five', '5'));
  });

  it('refuses a hunk that does not apply, saying which line differs, and changes nothing', () => {
    expect(() => apply(file, '@@ -2,3 +2,3 @@\n two\n-thre\n+3\n four\n')).toThrow(
      /hunk 1 \(@@ -2,3 \+2,3 @@\) does not apply: from line 2 the file agrees with the hunk's old lines up to line 2; line 3 is "three", the hunk has "thre"/,
    );
    expect(() => apply(file, '@@ -1 +1 @@\n-nine\n+9\n')).toThrow(
      /its first old line "nine" is not in the file/,
    );
  });

  it('refuses an ambiguous hunk without line numbers', () => {
    expect(() => apply('x\ny\nx\ny\n', '@@\n-x\n+z\n y\n')).toThrow(
      /matches at lines 1, 3; give its line numbers/,
    );
    expect(apply('x\ny\nx\ny\n', '@@ -3,2 +3,2 @@\n-x\n+z\n y\n')).toBe('x\ny\nz\ny\n');
  });

  it('creates a file from /dev/null and handles "no newline at end of file"', () => {
    expect(apply(undefined, '--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1,2 @@\n+a\n+b\n')).toBe('a\nb\n');
    expect(apply('a\nb\n', '@@ -2 +2 @@\n-b\n+c\n\\ No newline at end of file\n')).toBe('a\nc');
    expect(apply('a\nb', '@@ -2 +2 @@\n-b\n\\ No newline at end of file\n+c\n')).toBe('a\nc\n');
    expect(apply('a\n', '@@ -1,0 +2 @@\n+b\n')).toBe('a\nb\n');
  });

  it('tells a removed line "-- x" from a file header by the hunk count', () => {
    const sql = 'select 1;\n-- comment\nselect 2;\n';
    const diff =
      '--- a/q.sql\n+++ b/q.sql\n@@ -1,3 +1,2 @@\n select 1;\n--- comment\n+++ fixed\n select 2;\n';
    expect(apply(sql, diff)).toBe('select 1;\n++ fixed\nselect 2;\n');
  });

  it('refuses diffs of several files, deletions, garbage and no hunks', () => {
    expect(() =>
      parseUnifiedDiff('--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n--- a/y\n+++ b/y\n@@ -1 +1 @@\n-a\n+b\n'),
    ).toThrow(/several files/);
    expect(() => apply('a\n', '--- a/x\n+++ /dev/null\n@@ -1 +0,0 @@\n-a\n')).toThrow(
      /does not delete files/,
    );
    expect(() => parseUnifiedDiff('@@ -1 +1 @@\n*a\n')).toThrow(/starts with neither/);
    expect(() => parseUnifiedDiff('just text')).toThrow(/no hunk/);
    expect(() => apply(undefined, '@@ -1 +1 @@\n-a\n+b\n')).toThrow(/does not exist/);
  });

  it('keeps CRLF line ends', () => {
    expect(apply('a\r\nb\r\n', '@@ -1,2 +1,2 @@\n a\n-b\n+c\n')).toBe('a\r\nc\r\n');
  });
});
