// The streaming side of the repair ladder: given a reply's text as it streams, how much of it is
// safe to send to the client now. Text passes through at once until it could be the start of a call
// the ladder would take out (a fence, a call marker, a JSON value, a Python call on a line of its
// own); only that part is held. A held region that closes (the JSON balances, the fence or tag
// closes, the Python line ends) and is not a call goes out as text; one that is a call, or a marker
// that only ever opens a call, holds the rest of the reply for the ladder at the end.
// Pure and synchronous: one call per streamed delta, no allocation beyond the held text.
import { MARKER_OPENERS } from './find-markers.ts';

/** whether a closed region, alone, is a call (the gateway asks the synchronous ladder) */
export type RegionIsCall = (region: string) => boolean;

/** namespaces models put before a tool's name (`functions.write_file(...)`), and Gemma's print() */
const CALL_PREFIXES = ['functions', 'function', 'defaultapi', 'tools', 'tool', 'api', 'print'];

type Region =
  | {
      kind: 'balanced';
      depth: number;
      quote: string;
      escaped: boolean;
      /** where the bracket count goes on */
      scanFrom: number;
      toLineEnd: boolean;
      /** where the brackets balanced (a Python call then runs to its line's end) */
      closedAt: number;
    }
  | { kind: 'fence'; at: number }
  | { kind: 'tag'; close: string; at: number };
// Positions in a region are relative to its start, which is always the held text's first character.

type Verdict = 'text' | 'wait' | 'call' | Region;

const isIdentStart = (c: string): boolean => /[A-Za-z_]/.test(c);
const normalize = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

export class StreamHoldback {
  readonly #isCall: RegionIsCall;
  /** normalized offered tool names and call prefixes, for Python calls at a line's start */
  readonly #names: string[];
  /** text not sent yet: empty, or starting where a possible call starts */
  #held = '';
  /** a call is in the held text: everything is held to the end */
  #sure = false;
  /** the next character begins a line (only blanks before it on its line) */
  #lineStart = true;
  #region: Region | undefined;

  constructor(toolNames: readonly string[], isCall: RegionIsCall) {
    this.#isCall = isCall;
    this.#names = [...toolNames.map(normalize), ...CALL_PREFIXES].filter((n) => n !== '');
  }

  /** true once some text is held back */
  get holding(): boolean {
    return this.#held !== '';
  }

  /** true once the held text holds a call */
  get sure(): boolean {
    return this.#sure;
  }

  /** the next delta of the reply's text; returns the part to send now (often all of it) */
  push(delta: string): string {
    if (this.#sure) {
      this.#held += delta;
      return '';
    }
    const text = this.#held + delta;
    this.#held = '';
    return this.#drain(text);
  }

  /** the end of the reply: the text still held (for the ladder) */
  end(): string {
    const held = this.#held;
    this.#held = '';
    return held;
  }

  #drain(text: string): string {
    let out = '';
    // the scan position: text before it, outside a region, is safe to send
    let pos = 0;
    for (;;) {
      const r = this.#region;
      if (r) {
        // a region starts at the held text's first character
        const end = this.#regionEnd(text, r);
        if (end < 0) break;
        const region = text.slice(0, end);
        this.#region = undefined;
        if (this.#isCall(region)) {
          this.#sure = true;
          break;
        }
        out += region;
        this.#lineStart = /\n[ \t]*$/.test(region);
        text = text.slice(end);
        pos = 0;
        continue;
      }
      const k = this.#nextCandidate(text, pos);
      if (k < 0) {
        out += text;
        text = '';
        break;
      }
      const v = this.#classify(text, k);
      if (v === 'text') {
        this.#lineStart = false;
        pos = k + 1;
        continue;
      }
      out += text.slice(0, k);
      text = text.slice(k);
      pos = 0;
      if (v === 'wait') break;
      if (v === 'call') {
        this.#sure = true;
        break;
      }
      this.#region = v;
    }
    this.#held = text;
    return out;
  }

  /**
   * The index of the next character from `i` that could start a call, keeping track of line
   * starts; -1 when there is none.
   */
  #nextCandidate(text: string, i: number): number {
    for (let k = i; k < text.length; k++) {
      const c = text[k]!;
      if (c === '{' || c === '[' || c === '<') return k;
      if (this.#lineStart && (c === '`' || isIdentStart(c))) return k;
      if (c === '\n') this.#lineStart = true;
      else if (c !== ' ' && c !== '\t') this.#lineStart = false;
    }
    return -1;
  }

  #classify(text: string, k: number): Verdict {
    const c = text[k]!;
    const rest = text.slice(k, k + 40);
    for (const m of MARKER_OPENERS) {
      if (rest.startsWith(m)) return 'call';
      if (rest.length < m.length && m.startsWith(rest)) return 'wait';
    }
    if (c === '`') return this.#fence(rest);
    if (c === '<') return tag(rest);
    if (c === '{' || c === '[') return jsonStart(text, k);
    return this.#pythonLine(text, k);
  }

  #fence(rest: string): Verdict {
    if (rest.length < 3) return '```'.startsWith(rest) ? 'wait' : 'text';
    return rest.startsWith('```') ? { kind: 'fence', at: 3 } : 'text';
  }

  /** a line that starts with an offered tool's name (or a namespace) and `(`: a Python call */
  #pythonLine(text: string, k: number): Verdict {
    const head = text.slice(k, k + 200);
    if (head.startsWith('Action:')) return 'call'; // ReAct's Action: / Action Input:
    const ident = /^[A-Za-z_][\w.-]*/.exec(head)![0];
    const open = k + ident.length >= text.length; // the name may go on in the next delta
    if (open && 'Action:'.startsWith(ident)) return 'wait';
    const key = normalize(ident);
    const named = this.#names.some((n) => key.startsWith(n) || (open && n.startsWith(key)));
    if (!named) return 'text';
    if (open) return 'wait';
    let j = k + ident.length;
    while (j < text.length && (text[j] === ' ' || text[j] === '\t')) j++;
    if (j >= text.length) return 'wait';
    if (text[j] !== '(') return 'text';
    // the region starts at the name; its brackets are counted from the `(`
    return balanced(j - k, true);
  }

  /** the end of the region (exclusive) once it closed, else -1; advances its scan state */
  #regionEnd(text: string, r: Region): number {
    if (r.kind === 'fence') {
      const close = text.indexOf('\n```', Math.max(r.at, 0));
      if (close < 0) {
        r.at = Math.max(r.at, text.length - 3);
        return -1;
      }
      return close + 4;
    }
    if (r.kind === 'tag') {
      const close = text.indexOf(r.close, r.at);
      if (close < 0) {
        r.at = Math.max(r.at, text.length - r.close.length);
        return -1;
      }
      return close + r.close.length;
    }
    return scanBalanced(text, r);
  }
}

/** `<name>`: held until `</name>`; a `<` that opens no tag (`a < b`) is text */
function tag(rest: string): Verdict {
  const m = /^<([A-Za-z_][\w:-]*)/.exec(rest);
  if (!m) return rest.length === 1 ? 'wait' : 'text';
  const after = rest[m[0].length];
  if (after === undefined) return 'wait';
  if (after !== '>') return 'text';
  return { kind: 'tag', close: `</${m[1]}>`, at: 0 };
}

/** `{"…`, `{name:`, `[{`, `[name(`: a JSON value or a list of calls, held until it balances */
function jsonStart(text: string, k: number): Verdict {
  let j = k + 1;
  while (j < text.length && /\s/.test(text[j]!)) j++;
  if (j >= text.length) return 'wait';
  const c = text[j]!;
  if (c === '"' || c === "'" || (text[k] === '[' && c === '{')) return balanced(0, false);
  if (!isIdentStart(c)) return 'text';
  const m = /^[A-Za-z_][\w.-]*/.exec(text.slice(j, j + 200))!;
  j += m[0].length;
  while (j < text.length && (text[j] === ' ' || text[j] === '\t')) j++;
  if (j >= text.length) return 'wait';
  const next = text[j]!;
  if (text[k] === '{' && next === ':') return balanced(0, false);
  if (text[k] === '[' && next === '(') return balanced(0, false);
  return 'text';
}

function balanced(scanFrom: number, toLineEnd: boolean): Region {
  return { kind: 'balanced', depth: 0, quote: '', escaped: false, scanFrom, toLineEnd, closedAt: -1 };
}

/**
 * Brackets counted outside strings ('…', "…", and Python's triple-quoted ones), from where the
 * last call stopped. The end: where the brackets balance, or for a Python call the end of its line.
 */
function scanBalanced(text: string, r: Extract<Region, { kind: 'balanced' }>): number {
  if (r.closedAt >= 0) return lineEnd(text, r.closedAt);
  let i = r.scanFrom;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (r.quote !== '') {
      if (r.escaped) r.escaped = false;
      else if (c === '\\') r.escaped = true;
      else if (text.startsWith(r.quote, i)) {
        i += r.quote.length - 1;
        r.quote = '';
      } else if (r.quote.length === 3 && c === r.quote[0] && text.length - i < 3) break; // maybe the close
      continue;
    }
    if (c === '"' || c === "'") {
      if (text.length - i < 3 && text.slice(i) === c.repeat(text.length - i)) break; // maybe a triple
      r.quote = text.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
      i += r.quote.length - 1;
    } else if (c === '{' || c === '[' || c === '(') r.depth++;
    else if (c === '}' || c === ']' || c === ')') {
      r.depth--;
      if (r.depth === 0) {
        if (!r.toLineEnd) return i + 1;
        r.closedAt = i + 1;
        return lineEnd(text, i + 1);
      }
    }
  }
  r.scanFrom = i;
  return -1;
}

/** the index after the Python call's line (its newline included), or -1 while it goes on */
function lineEnd(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl < 0 ? -1 : nl + 1;
}
