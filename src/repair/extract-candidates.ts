// Rung 2's scanner: one pass left to right over a reply, taking whatever starts first (a fenced
// block, a call marker, a JSON value, a Python call on a line of its own) and consuming it whole,
// so a name inside a code block or inside another call's arguments is never read as a call.
// Code blocks that are not only calls, inline code and quoted examples are skipped.
import { parsePayload, stripFence } from './call-payload.ts';
import { findMarker } from './find-markers.ts';
import type { CallForm } from './repair-types.ts';
import { parsePythonCalls } from './parse-python-call.ts';
import type { RawCall } from './raw-call.ts';
import { scanBalanced } from './scan-balanced.ts';
import { POSITIONAL } from './call-payload.ts';

export interface Candidate {
  start: number;
  end: number;
  form: CallForm;
  /** the calls found, or undefined when a call marker held something unparseable */
  calls: RawCall[] | undefined;
  /** the unparsed body (for the interpreter rung and error messages) */
  body: string;
  /** no explicit marker: a bare JSON value or a Python call on its own line; a call only if its
   * name is an offered tool */
  loose: boolean;
  /** introduced as an example ("for example:", a blockquote): never a call */
  quoted: boolean;
  /** the reply ended inside it */
  unclosed: boolean;
}

/** Every candidate region of `text`, in order. `tools` null: the offered tools are not known. */
export function extractCandidates(text: string, tools: readonly string[] | null): Candidate[] {
  const out: Candidate[] = [];
  const scan = scanner(text);
  const first = text.search(/\S/);
  const last = text.trimEnd().length;
  let i = 0;
  let blank = true; // only spaces since the last line break: a line start for fences and Python calls
  const jump = (to: number): void => {
    blank = blankBetween(text, i, to, blank);
    i = to;
  };
  while (i < text.length) {
    const c = text[i]!;
    let found: Omit<Candidate, 'quoted' | 'start'> | undefined;
    if (c === '`') {
      if (opensFence(text, i, blank)) {
        const f = fence(text, i, tools);
        if (f.candidate) found = f.candidate;
        else {
          jump(f.end); // code, not calls: skip it whole
          continue;
        }
      } else {
        const close = inlineCodeEnd(text, i);
        if (close > 0 && !(i === first && close === last)) {
          jump(close); // inline code amid prose: a quoted name, not a call
          continue;
        }
      }
    } else if (c === '<' || c === '[') {
      const m = findMarker(text, i, tools);
      if (m) found = { ...m, loose: false };
    }
    if (!found && (c === '{' || c === '[')) found = jsonValue(text, i, scan);
    if (!found && blank && /[A-Za-z_[]/.test(c)) found = pythonLine(text, i, scan) ?? react(text, i);
    if (!found) {
      const end = skipToken(text, i, scan);
      if (end === i + 1) {
        blank = c === '\n' || (blank && (c === ' ' || c === '\t'));
        i = end;
      } else jump(end);
      continue;
    }
    if (found.end <= i) found.end = i + 1;
    out.push({ ...found, start: i, quoted: isQuoted(text, i, out.at(-1)?.end ?? 0) });
    jump(found.end);
  }
  return out;
}

type Scan = (start: number) => number;

/** scanBalanced with a budget: a reply full of unclosed brackets costs linear time, not quadratic
 * (past the budget a bracket is taken as unclosed). */
function scanner(text: string): Scan {
  let budget = 20 * text.length + 100_000;
  return (start) => {
    if (budget <= 0) return -1;
    const end = scanBalanced(text, start);
    budget -= (end < 0 ? text.length : end) - start;
    return end;
  };
}

/** Whether only spaces follow the last line break before `to`, knowing it for `from`. */
function blankBetween(text: string, from: number, to: number, blank: boolean): boolean {
  for (let k = to - 1; k >= from; k--) {
    const ch = text[k]!;
    if (ch === '\n') return true;
    if (ch !== ' ' && ch !== '\t') return false;
  }
  return blank;
}

/** A fence opens at a line start, or after a label (`Action: ```json`) when a newline follows. */
function opensFence(text: string, i: number, lineStart: boolean): boolean {
  if (!text.startsWith('```', i)) return false;
  return lineStart || /^```[\w-]*[ \t]*\r?\n/.test(text.slice(i, i + 40));
}

function lineBefore(text: string, i: number): string {
  return text.slice(text.lastIndexOf('\n', i - 1) + 1, i);
}

/** Skips a JSON-looking region that is not a call whole, so nothing inside data is read as a call. */
function skipToken(text: string, i: number, scan: Scan): number {
  const c = text[i]!;
  if ((c === '{' || c === '[') && /^[[{]\s*["'[{\d-]/.test(text.slice(i, i + 8))) {
    const end = scan(i);
    if (end > 0) return end;
  }
  return i + 1;
}

function fence(
  text: string,
  i: number,
  tools: readonly string[] | null,
): { end: number; candidate?: Omit<Candidate, 'quoted' | 'start'> } {
  const header = /^```([\w-]*)[^\n]*\n?/.exec(text.slice(i))!;
  const closeAt = text.indexOf('\n```', i + header[0].length - 1);
  const unclosed = closeAt < 0;
  const end = unclosed ? text.length : closeAt + 4;
  const body = text.slice(i + header[0].length, unclosed ? text.length : closeAt);
  const lang = header[1]!.toLowerCase();
  const form: CallForm = lang === 'tool_code' || lang === 'tool_call' ? 'tool_code' : 'fenced';
  let calls = parsePayload(body);
  if (!calls) {
    // a marker inside the fence (```\n<tool_call>...</tool_call>\n```): the fence must hold only calls
    const inner = extractCandidates(body, tools);
    const rest = inner.reduceRight((s, k) => s.slice(0, k.start) + s.slice(k.end), body);
    if (inner.length > 0 && rest.trim() === '' && inner.every((k) => k.calls && !k.quoted))
      calls = inner.flatMap((k) => k.calls!);
  }
  if (!calls) return { end };
  const python = !/^\s*[[{<]/.test(stripFence(body));
  // a Python call in a plain code block may be code the user is shown; only a tool's name makes it a call
  const loose = python && form === 'fenced';
  return { end, candidate: { end, form, calls, body, loose, unclosed } };
}

function inlineCodeEnd(text: string, i: number): number {
  const ticks = /^`+/.exec(text.slice(i))![0];
  const close = text.indexOf(ticks, i + ticks.length);
  if (close < 0) return -1;
  return close + ticks.length;
}

function jsonValue(text: string, i: number, scan: Scan): Omit<Candidate, 'quoted' | 'start'> | undefined {
  // only what starts like a call is scanned: `{ b` in prose costs nothing
  if (!CALL_JSON_START.test(text.slice(i, i + 40))) return undefined;
  const end = scan(i);
  const unclosed = end < 0;
  const body = text.slice(i, unclosed ? text.length : end);
  // an unbalanced value that runs to the end: a call cut off by the token limit, if it names one
  if (unclosed && !/^[[{]\s*["']?(name|function|tool|type)/.test(body.replace(/^\[\s*/, '').trimStart()))
    return undefined;
  const calls = parsePayload(body);
  if (!calls) return undefined;
  // `[f(a=1), g(b=2)]` is a list of Python calls (Llama 3.2, Gemma 3)
  const python = /^\[\s*[A-Za-z_]/.test(body);
  const loose = python || calls.some((k) => k.shape === 'flat');
  return {
    end: unclosed ? text.length : end,
    form: python ? 'python' : 'json',
    calls,
    body,
    loose,
    unclosed,
  };
}

const CALL_JSON_START =
  /^(?:\[\s*)*(?:\{\s*["']?(?:name|function|tool|type|tool_name|function_name|action|recipient_name|tool_calls|tool_uses|calls|id|arguments|parameters)["']?\s*:|[A-Za-z_][\w.]*\()/;

const CALL_START = /^(?:\[\s*)?(?:print\(\s*)?[A-Za-z_][\w.-]*\s*\(/;

function pythonLine(text: string, i: number, scan: Scan): Omit<Candidate, 'quoted' | 'start'> | undefined {
  if (!CALL_START.test(text.slice(i, i + 200))) return undefined;
  const open = text[i] === '[' ? i : text.indexOf('(', i);
  const end = callEnd(text, open, scan);
  if (end < 0) return undefined;
  const lineEnd = text.indexOf('\n', end);
  const rest = text.slice(end, lineEnd < 0 ? text.length : lineEnd);
  if (!/^[\s;]*$/.test(rest)) return undefined; // `f(x) is how you call it`: prose
  const body = text.slice(i, end);
  const calls = parsePythonCalls(body);
  if (!calls) return undefined;
  return {
    end,
    form: 'python',
    body,
    loose: true,
    unclosed: false,
    calls: calls.map((k) => ({
      name: k.name,
      args: k.args.length > 0 ? { ...k.kwargs, [POSITIONAL]: k.args } : k.kwargs,
      repaired: false,
      shape: 'call',
    })),
  };
}

/** Where a call that opens at `open` closes: within its line, or past it only when the line leaves a
 * multi-line string or argument list open (`content="""`, a trailing comma or bracket). */
function callEnd(text: string, open: number, scan: Scan): number {
  const nl = text.indexOf('\n', open);
  const line = text.slice(open, nl < 0 ? text.length : nl);
  const within = scanBalanced(line, 0);
  if (within > 0) return open + within;
  if (nl < 0 || !(/"""|'''/.test(line) || /[,([{]\s*$/.test(line))) return -1;
  return scan(open);
}

/** ReAct: `Action: NAME` then `Action Input: {json}` (or plain text) on the next line. */
function react(text: string, i: number): Omit<Candidate, 'quoted' | 'start'> | undefined {
  const m = /^Action:\s*`?([A-Za-z_][\w.-]*)`?[ \t]*\r?\nAction Input:[ \t]*/.exec(text.slice(i, i + 300));
  if (!m) return undefined;
  const from = i + m[0].length;
  let end = text.indexOf('\n', from);
  if (end < 0) end = text.length;
  if (text[from] === '{') {
    const close = scanBalanced(text, from);
    end = close > 0 ? close : text.length;
  }
  const input = text.slice(from, end).trim();
  const calls = parsePayload(
    `{"name": ${JSON.stringify(m[1])}, "arguments": ${input.startsWith('{') ? input : JSON.stringify(input)}}`,
  );
  return { end, form: 'react', body: text.slice(i, end), loose: true, unclosed: false, calls };
}

const EXAMPLE_CUE =
  /\b(for example|example|e\.g\.|for instance|such as|how to|you (?:can|could|would|should|might)|you'd|template|sample|documentation|looks like|would look)\b/i;
/** cues that name a shape, which a model also uses when it does make the call ("in the required format") */
const SHAPE_CUE = /\b(usage|syntax|format(?:ted)?)\b/i;
/** the model says the block is its call: "Here is the tool call", "I'll call", "Let me use" */
const CALL_INTENT =
  /\b(?:here(?:'s| is) (?:the|my) (?:tool |function )?call(?! (?:format|syntax|schema|shape))|i(?:'ll| will| am going to) (?:now )?(?:call|use|invoke|run)|let me (?:now )?(?:call|use|invoke|run))\b/i;

/** A candidate introduced as an example, or inside a blockquote, is not a call. `from`: where the
 * lead-in may start (the end of the previous candidate). */
function isQuoted(text: string, i: number, from: number): boolean {
  const line = lineBefore(text, i);
  if (/^\s*>/.test(line)) return true;
  // the sentence that leads into the candidate; a finished sentence ("Let me create an example
  // file.") does not introduce what follows, a cue ending in ':' or running into it does
  const lead = text.slice(Math.max(from, i - 240), i).trimEnd();
  if (lead === '' || (/[.!?]$/.test(lead) && !/\be\.g\.$/i.test(lead))) return false;
  const sentence = lead.split(/(?<=[.!?])\s+|\n\s*\n/).pop() ?? '';
  if (EXAMPLE_CUE.test(sentence)) return true;
  return SHAPE_CUE.test(sentence) && !CALL_INTENT.test(sentence);
}
