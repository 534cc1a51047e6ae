// Finds where a bracketed region of JSON-ish or Python-ish text ends, skipping brackets inside
// strings. Tolerant on purpose: single quotes, Python triple quotes and backslash escapes are all
// strings, because the ladder extracts before it repairs.

const CLOSER: Record<string, string> = { '{': '}', '[': ']', '(': ')' };

/** The index just past the bracket that closes the one at `start`, or -1 when it never closes. */
export function scanBalanced(text: string, start: number): number {
  const stack: string[] = [];
  let i = start;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      i = skipString(text, i);
      if (i < 0) return -1;
      continue;
    }
    const close = CLOSER[c];
    if (close) stack.push(close);
    else if (c === '}' || c === ']' || c === ')') {
      if (stack.pop() !== c) return -1;
      if (stack.length === 0) return i + 1;
    }
    if (stack.length === 0) return -1;
    i++;
  }
  return -1;
}

/** The index just past the string that opens at `start` (a quote), or -1 when it never closes. */
export function skipString(text: string, start: number): number {
  const q = text[start]!;
  const triple = text.startsWith(q.repeat(3), start);
  const delim = triple ? q.repeat(3) : q;
  let i = start + delim.length;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (!triple && c === '\n' && q === "'") return -1; // an apostrophe in prose, not a string
    if (text.startsWith(delim, i)) return i + delim.length;
    i++;
  }
  return -1;
}

/** The text stops inside a string (a reply cut off in the middle of an argument's value). */
export function endsInsideString(text: string): boolean {
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' || (c === "'" && /[\s{[,:(=]/.test(text[i - 1] ?? ' '))) {
      const end = skipString(text, i);
      if (end < 0) return true;
      i = end;
    } else i++;
  }
  return false;
}
