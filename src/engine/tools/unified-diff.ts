// Unified diffs (as `diff -u` and `git diff` write them, and as models write them: line numbers
// often wrong or left out), parsed and applied to a text, pure. A hunk is placed where its old
// lines match, nearest to the line it names; a hunk whose old lines are not in the text, or occur
// twice with no line number to choose by, is an error that says which line differs.
import { ToolError } from './tool-error.ts';

export interface Hunk {
  /** 1-based line the hunk's old side starts at, when the header gives one */
  oldStart: number | undefined;
  /** how many old lines the header announces (models' counts are often wrong: used only to tell
   * a removed line from a file header) */
  oldCount: number | undefined;
  header: string;
  old: string[];
  new: string[];
  /** "\ No newline at end of file" after the last line of the new side / only of the old side */
  newNoEol: boolean;
  oldNoEol: boolean;
}

export interface ParsedDiff {
  oldPath: string | undefined;
  newPath: string | undefined;
  hunks: Hunk[];
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@/;

function pathOf(line: string): string | undefined {
  const p = line.slice(4).split('\t')[0]!.trim();
  if (p === '/dev/null') return undefined;
  return p.replace(/^[ab]\//, '');
}

export function parseUnifiedDiff(diff: string): ParsedDiff {
  const lines = diff.replaceAll('\r\n', '\n').split('\n');
  if (lines.at(-1) === '') lines.pop();
  // a diff wrapped in a markdown code fence, as models write it
  if (/^```[\w-]*$/.test(lines[0] ?? '')) lines.shift();
  if (lines.at(-1)?.trim() === '```') lines.pop();
  const out: ParsedDiff = { oldPath: undefined, newPath: undefined, hunks: [] };
  let hunk: Hunk | undefined;
  let last: ' ' | '-' | '+' | undefined;
  let files = 0;
  for (const [index, line] of lines.entries()) {
    // "--- x" is a file header when "+++ y" follows, unless it can be a removed line "-- x" of a
    // hunk that still expects old lines by its header's count
    const header =
      line.startsWith('--- ') &&
      lines[index + 1]?.startsWith('+++ ') === true &&
      (!hunk || hunk.oldCount === undefined || hunk.old.length >= hunk.oldCount);
    if (header) {
      if (++files > 1)
        throw new ToolError('invalid_input', 'the diff changes several files; give one file per call');
      out.oldPath = pathOf(line);
      hunk = undefined;
      continue;
    }
    if (line.startsWith('+++ ') && !hunk && out.newPath === undefined) {
      out.newPath = pathOf(line);
      continue;
    }
    if (line.startsWith('@@')) {
      const m = HUNK.exec(line);
      hunk = {
        oldStart: m ? Number(m[1]) : undefined,
        oldCount: m ? Number(m[2] ?? 1) : undefined,
        header: line,
        old: [],
        new: [],
        newNoEol: false,
        oldNoEol: false,
      };
      out.hunks.push(hunk);
      last = undefined;
      continue;
    }
    if (!hunk) continue; // preamble: diff --git, index, mode lines
    const tag = line[0];
    const body = line.slice(1);
    if (line === '' || tag === ' ') {
      // an empty line inside a hunk is an empty context line whose leading space was stripped
      hunk.old.push(body);
      hunk.new.push(body);
      last = ' ';
    } else if (tag === '-') {
      hunk.old.push(body);
      last = '-';
    } else if (tag === '+') {
      hunk.new.push(body);
      last = '+';
    } else if (tag === '\\') {
      if (last === '+' || last === ' ') hunk.newNoEol = true;
      if (last === '-' || last === ' ') hunk.oldNoEol = true;
    } else
      throw new ToolError(
        'invalid_input',
        `diff line ${JSON.stringify(line.slice(0, 60))} in hunk ${hunk.header} starts with neither " ", "-", "+" nor "\\"`,
      );
  }
  if (out.hunks.length === 0)
    throw new ToolError('invalid_input', 'the diff has no hunk (no line starting with @@)');
  return out;
}

function matchesAt(lines: string[], old: string[], at: number, loose: boolean): boolean {
  if (at < 0 || at + old.length > lines.length) return false;
  return old.every((l, j) => (loose ? lines[at + j]!.trimEnd() === l.trimEnd() : lines[at + j] === l));
}

/** where the hunk's old lines are, at or after `from`, nearest to `expected` */
function place(lines: string[], hunk: Hunk, from: number, offset: number, n: number): number {
  if (hunk.old.length === 0) {
    // "@@ -N,0 ..." inserts after line N; without a line number, at the end
    const at = hunk.oldStart === undefined ? lines.length : hunk.oldStart + offset;
    return Math.min(lines.length, Math.max(from, at));
  }
  const expected = hunk.oldStart === undefined ? undefined : Math.max(0, hunk.oldStart - 1 + offset);
  for (const loose of [false, true]) {
    const found: number[] = [];
    for (let i = from; i + hunk.old.length <= lines.length; i++)
      if (matchesAt(lines, hunk.old, i, loose)) found.push(i);
    if (found.length === 0) continue;
    if (expected === undefined && found.length > 1)
      throw new ToolError(
        'ambiguous_match',
        `hunk ${n} (${hunk.header}) matches at lines ${found.map((i) => i + 1).join(', ')}; give its line numbers or more context`,
      );
    return found.reduce((a, b) => (Math.abs(b - (expected ?? 0)) < Math.abs(a - (expected ?? 0)) ? b : a));
  }
  throw new ToolError(
    'patch_failed',
    `hunk ${n} (${hunk.header}) does not apply: ${explain(lines, hunk, expected)}`,
  );
}

function explain(lines: string[], hunk: Hunk, expected: number | undefined): string {
  const first = hunk.old[0]!;
  const candidates = lines.flatMap((l, i) => (l.trimEnd() === first.trimEnd() ? [i] : []));
  if (candidates.length === 0) return `its first old line ${JSON.stringify(first)} is not in the file`;
  const at = candidates.reduce((a, b) =>
    Math.abs(b - (expected ?? 0)) < Math.abs(a - (expected ?? 0)) ? b : a,
  );
  let j = 0;
  while (j < hunk.old.length && lines[at + j]?.trimEnd() === hunk.old[j]!.trimEnd()) j++;
  const found = lines[at + j];
  return (
    `from line ${at + 1} the file agrees with the hunk's old lines up to line ${at + j}; line ${at + j + 1} is ` +
    `${found === undefined ? 'the end of the file' : JSON.stringify(found)}, the hunk has ${JSON.stringify(hunk.old[j])}`
  );
}

/** the text after applying `diff`; `text` undefined means the file does not exist yet */
export function applyUnifiedDiff(text: string | undefined, diff: ParsedDiff): string {
  if (text === undefined && diff.hunks.some((h) => h.old.length > 0))
    throw new ToolError(
      'not_found',
      'the file does not exist, and the diff changes lines of it; write_file creates files',
    );
  if (diff.newPath === undefined && diff.oldPath !== undefined)
    throw new ToolError('invalid_input', 'the diff deletes the file; patch_file does not delete files');
  const source = text ?? '';
  const eol = source.includes('\r\n') ? '\r\n' : '\n';
  const lines = source === '' ? [] : source.split(eol);
  let endsWithEol = source === '' || source.endsWith(eol);
  if (endsWithEol && lines.at(-1) === '') lines.pop();
  let from = 0;
  let offset = 0;
  diff.hunks.forEach((hunk, i) => {
    const at = place(lines, hunk, from, offset, i + 1);
    lines.splice(at, hunk.old.length, ...hunk.new);
    from = at + hunk.new.length;
    offset += hunk.new.length - hunk.old.length;
    if (at + hunk.new.length >= lines.length) {
      if (hunk.newNoEol) endsWithEol = false;
      else if (hunk.oldNoEol) endsWithEol = true;
    }
  });
  if (lines.length === 0) return '';
  return lines.join(eol) + (endsWithEol ? eol : '');
}
