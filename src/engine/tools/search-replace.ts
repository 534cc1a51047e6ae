// Search/replace edits on a text, pure. The search text must occur exactly once (or replaceAll);
// when it does not occur, the error says where the file and the search text part ways, which is
// what a model needs to correct its next attempt.
import { ToolError } from './tool-error.ts';

export interface Edit {
  search: string;
  replace: string;
  replaceAll?: boolean;
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function occurrences(text: string, search: string): number[] {
  const at: number[] = [];
  for (let i = text.indexOf(search); i !== -1; i = text.indexOf(search, i + search.length)) at.push(i);
  return at;
}

const quote = (s: string, max = 80): string => JSON.stringify(s.length > max ? `${s.slice(0, max)}…` : s);

/** lines of `text` matched by `search` with trailing whitespace ignored: [start line index] */
function looseMatches(lines: string[], searchLines: string[]): number[] {
  const want = searchLines.map((l) => l.trimEnd());
  const found: number[] = [];
  for (let i = 0; i + want.length <= lines.length; i++)
    if (want.every((w, j) => lines[i + j]!.trimEnd() === w)) found.push(i);
  return found;
}

/** why `search` is not in `text`: the first search line not found, or where a partial match breaks */
function explainMissing(text: string, search: string): string {
  const lines = text.split('\n');
  const want = search.split('\n');
  const first = want.findIndex((l) => l.trim() !== '');
  if (first === -1) return 'the search text is only whitespace';
  const starts = lines.flatMap((l, i) => (l.trim() === want[first]!.trim() ? [i - first] : []));
  if (starts.length === 0) return `its line ${quote(want[first]!.trim())} is not in the file`;
  let best = { start: starts[0]!, agree: -1 };
  for (const s of starts) {
    let agree = 0;
    while (agree < want.length && lines[s + agree]?.trim() === want[agree]!.trim()) agree++;
    if (agree > best.agree) best = { start: s, agree };
  }
  const at = best.start + best.agree;
  return (
    `it matches from line ${best.start + 1} on, but line ${at + 1} of the file is ${quote(lines[at] ?? '(end of file)')} ` +
    `where the search text has ${quote(want[best.agree] ?? '')}`
  );
}

/** applies one edit; `label` names it in errors (e.g. "edit 2") */
export function applyEdit(text: string, edit: Edit, label: string): string {
  const crlf = text.includes('\r\n') && !edit.search.includes('\r\n');
  const search = crlf ? edit.search.replaceAll('\n', '\r\n') : edit.search;
  const replace = crlf ? edit.replace.replaceAll('\n', '\r\n') : edit.replace;
  if (search === '') throw new ToolError('invalid_input', `${label}: the search text is empty`);
  const at = occurrences(text, search);
  if (at.length === 1 || (at.length > 1 && edit.replaceAll)) return text.split(search).join(replace);
  if (at.length > 1) {
    const lines = at.slice(0, 10).map((i) => lineAt(text, i));
    throw new ToolError(
      'ambiguous_match',
      `${label}: the search text occurs ${at.length} times (at lines ${lines.join(', ')}); include more ` +
        'surrounding lines to make it unique, or set replaceAll to replace every occurrence',
    );
  }
  // not found exactly: accept a match that differs only in trailing whitespace, if it is unique
  const eol = crlf || text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(eol);
  const searchLines = search.split(eol);
  if (searchLines.at(-1) === '') searchLines.pop();
  const loose = looseMatches(lines, searchLines);
  if (loose.length === 1) {
    // the same splice an exact match would make: from the first matched line's start to the last
    // matched line's end, plus its line break when the search text ended with one
    const starts = [0];
    for (let i = 0; i < lines.length; i++) starts.push(starts[i]! + lines[i]!.length + eol.length);
    const first = loose[0]!;
    const lastLine = first + searchLines.length - 1;
    const from = starts[first]!;
    const to = starts[lastLine]! + lines[lastLine]!.length + (search.endsWith(eol) ? eol.length : 0);
    return text.slice(0, from) + replace + text.slice(Math.min(to, text.length));
  }
  if (loose.length > 1)
    throw new ToolError(
      'ambiguous_match',
      `${label}: the search text (ignoring trailing spaces) occurs ${loose.length} times; include more surrounding lines`,
    );
  throw new ToolError(
    'patch_failed',
    `${label}: the search text is not in the file: ${explainMissing(text.replaceAll('\r\n', '\n'), edit.search)}. ` +
      'read_file shows the current text; copy the lines to replace exactly',
  );
}

export function applyEdits(text: string, edits: readonly Edit[]): string {
  return edits.reduce((t, e, i) => applyEdit(t, e, edits.length === 1 ? 'edit' : `edit ${i + 1}`), text);
}
