// Diffs written by GNU diff apply back exactly: for random pairs of texts (few distinct lines, so
// hunks' context lines repeat elsewhere in the file), apply(a, diff -u a b) === b.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { applyUnifiedDiff, parseUnifiedDiff } from './unified-diff.ts';

const dir = mkdtempSync(join(tmpdir(), 'orchestra-diff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function gnuDiff(a: string, b: string, context: number): string {
  writeFileSync(join(dir, 'a'), a);
  writeFileSync(join(dir, 'b'), b);
  try {
    execFileSync('diff', [`-U${context}`, join(dir, 'a'), join(dir, 'b')], { encoding: 'utf8' });
    return '';
  } catch (e) {
    return (e as { stdout: string }).stdout; // exit status 1: the files differ
  }
}

const text = fc
  .tuple(fc.array(fc.constantFrom('a', 'b', 'c', 'd', '', '  x'), { maxLength: 30 }), fc.boolean())
  .map(([lines, eol]) => (lines.length === 0 ? '' : lines.join('\n') + (eol ? '\n' : '')));

describe('unified diffs from GNU diff', () => {
  it('apply back exactly', () => {
    fc.assert(
      fc.property(text, text, fc.integer({ min: 0, max: 3 }), (a, b, context) => {
        const diff = gnuDiff(a, b, context);
        fc.pre(diff !== '');
        expect(applyUnifiedDiff(a, parseUnifiedDiff(diff))).toBe(b);
      }),
      { numRuns: 100 },
    );
  });
});
