// The explicit call markers models write as text: chat-template tokens and tags. Each finder looks
// at one position and, when a marker opens there, returns the region it spans and the calls inside
// (or the body that could not be parsed, for the later rungs and the `invalid` verdict).
import { parsePayload } from './call-payload.ts';
import { parseFunctionGemma } from './parse-function-gemma.ts';
import { parseToolTag } from './parse-xml-call.ts';
import { deepseek, harmony, kimi } from './find-token-calls.ts';
import { parseJson, type RawCall, type Region } from './raw-call.ts';
import type { CallForm } from './repair-types.ts';
import { scanBalanced } from './scan-balanced.ts';

/** A region from `start` to the first of `closers` (or `stops`, kept out; or the end). */
function closed(
  text: string,
  start: number,
  open: string,
  closers: string[],
  stops: string[] = [],
): { body: string; end: number; unclosed: boolean } {
  const from = start + open.length;
  let best = -1;
  let bestLen = 0;
  for (const c of closers) {
    const at = text.indexOf(c, from);
    if (at >= 0 && (best < 0 || at < best)) [best, bestLen] = [at, c.length];
  }
  for (const s of stops) {
    const at = text.indexOf(s, from);
    if (at >= 0 && (best < 0 || at < best)) [best, bestLen] = [at, 0];
  }
  if (best < 0) return { body: text.slice(from), end: text.length, unclosed: true };
  return { body: text.slice(from, best), end: best + bestLen, unclosed: false };
}

function tagged(
  text: string,
  i: number,
  open: string,
  closers: string[],
  form: CallForm,
): Region | undefined {
  if (!text.startsWith(open, i)) return undefined;
  const r = jsonBody(text, i + open.length, closers) ?? closed(text, i, open, closers, [open]);
  return { ...r, form, calls: parsePayload(r.body) };
}

/** A JSON body ends where its brackets close, so a closing tag inside a string argument (a file
 * that mentions `</tool_call>`) does not cut it short. */
function jsonBody(text: string, from: number, closers: string[]): Omit<Region, 'form' | 'calls'> | undefined {
  const at = from + /^\s*/.exec(text.slice(from))![0].length;
  if (text[at] !== '{' && text[at] !== '[') return undefined;
  const end = scanBalanced(text, at);
  if (end < 0) return undefined;
  const gap = /^\s*/.exec(text.slice(end))![0].length;
  const closer = closers.find((c) => text.startsWith(c, end + gap));
  if (!closer) return undefined;
  return { body: text.slice(from, end), end: end + gap + closer.length, unclosed: false };
}

const LLAMA_END = ['<|eom_id|>', '<|eot_id|>', '<|end_of_text|>'];

/**
 * The literals that open the regions above and only ever open a call: the stream hold-back holds a
 * reply from any of them to its end (its corpus test checks no call the ladder takes out gets past).
 * Harmony's `<|channel|>` and `<|start|>` headers are never meant for the client either: the ladder
 * takes out the call or keeps the final channel's text.
 */
export const MARKER_OPENERS: readonly string[] = [
  '<tool_call>',
  '<tools>',
  '<|tool_call|>',
  '<|tool_call>',
  '<|python_tag|>',
  '<|tool_calls_section_begin|>',
  '<|channel|>',
  '<|start|>',
  '<function=',
  '<start_function_call>',
  '<invoke',
  '<antml:invoke',
  '<｜tool▁calls▁begin｜>',
  '<｜tool▁call▁begin｜>',
  '<|tool▁calls▁begin|>',
  '<|tool_calls_begin|>',
  '<|tool_call_begin|>',
  '[TOOL_CALLS]',
];

type Finder = (text: string, i: number, tools: readonly string[] | null) => Region | undefined;

const FINDERS: Finder[] = [
  (t, i) => tagged(t, i, '<tool_call>', ['</tool_call>'], 'tool_call_tag'),
  (t, i) => tagged(t, i, '<tools>', ['</tools>'], 'tools_tag'),
  (t, i) =>
    tagged(
      t,
      i,
      '<|tool_call|>',
      ['<|/tool_call|>', '</|tool_call|>', '<|tool_call_end|>'],
      'pipe_tool_call',
    ),
  (t, i) => (t.startsWith('[TOOL_CALLS]', i) ? mistral(t, i) : undefined),
  (t, i) => {
    if (!t.startsWith('<|python_tag|>', i)) return undefined;
    const r = closed(t, i, '<|python_tag|>', LLAMA_END);
    return { ...r, form: 'python_tag', calls: parsePayload(r.body) };
  },
  (t, i) => functionTag(t, i),
  (t, i) => {
    if (!t.startsWith('<start_function_call>', i)) return undefined;
    const r = closed(t, i, '<start_function_call>', ['<end_function_call>'], ['<start_function_call>']);
    const call = parseFunctionGemma(r.body);
    return { ...r, form: 'function_gemma', calls: call && [call] };
  },
  (t, i) => {
    if (!t.startsWith('<|tool_call>', i)) return undefined;
    const r = closed(t, i, '<|tool_call>', ['<tool_call|>'], ['<|tool_call>']);
    const call = parseFunctionGemma(r.body, '<|"|>');
    return { ...r, form: 'gemma4', calls: call && [call] };
  },
  (t, i) => deepseek(t, i),
  (t, i) => kimi(t, i),
  (t, i) => harmony(t, i),
  (t, i) => {
    if (!/^<(?:antml:)?invoke\s+name=/.test(t.slice(i, i + 40))) return undefined;
    const end = t.indexOf('invoke>', i);
    let stop = end;
    while (stop >= 0) {
      const next = /^\s*<(?:antml:)?invoke\s+name=/.exec(t.slice(stop + 7, stop + 60));
      if (!next) break;
      const again = t.indexOf('invoke>', stop + 7 + next[0].length);
      if (again < 0) break;
      stop = again;
    }
    const r = stop < 0 ? { end: t.length, unclosed: true } : { end: stop + 7, unclosed: false };
    const body = t.slice(i, r.end);
    return { ...r, body, form: 'invoke', calls: parsePayload(body) };
  },
  (t, i, tools) => genericTag(t, i, tools),
];

/** The marker that opens at `i`, if any. */
export function findMarker(text: string, i: number, tools: readonly string[] | null): Region | undefined {
  if (text[i] !== '<' && text[i] !== '[') return undefined;
  for (const f of FINDERS) {
    const r = f(text, i, tools);
    if (r) return r;
  }
  return undefined;
}

function mistral(t: string, i: number): Region {
  const from = i + '[TOOL_CALLS]'.length;
  if (/^\s*[\w.-]+\s*(?:\[CALL_ID\][^[]*)?\[ARGS\]/.test(t.slice(from, from + 300))) return mistralArgs(t, i);
  // `[TOOL_CALLS] [{...}]`: the JSON ends where its brackets close; text after it is prose
  const r = closed(t, i, '[TOOL_CALLS]', ['</s>']);
  const open = t.slice(from).search(/\S/);
  const at = open < 0 ? -1 : from + open;
  const end = at >= 0 && (t[at] === '[' || t[at] === '{') ? scanBalanced(t, at) : -1;
  if (end < 0) return { ...r, form: 'mistral', calls: parsePayload(r.body) };
  const body = t.slice(from, end);
  return { end, body, unclosed: false, form: 'mistral', calls: parsePayload(body) };
}

/** v11+ tokenizers: `[TOOL_CALLS]NAME[ARGS]{json}`, repeated, each JSON ending at its brace. */
function mistralArgs(t: string, i: number): Region {
  const calls: RawCall[] = [];
  const head = /\[TOOL_CALLS\]\s*([\w.-]+)\s*(?:\[CALL_ID\][^[]*)?\[ARGS\]\s*/y;
  let at = i;
  let unclosed = false;
  let ok = true;
  for (;;) {
    head.lastIndex = at;
    const m = head.exec(t);
    if (!m) break;
    const start = head.lastIndex;
    const end = t[start] === '{' ? scanBalanced(t, start) : -1;
    const stop = end < 0 ? t.length : end;
    unclosed ||= end < 0;
    const parsed = parseJson(t.slice(start, stop));
    if (!parsed) ok = false;
    else calls.push({ name: m[1]!, args: parsed.value, repaired: parsed.repaired, shape: 'call' });
    at = stop + (/^\s*/.exec(t.slice(stop))?.[0].length ?? 0);
    if (!t.startsWith('[TOOL_CALLS]', at)) {
      at = stop;
      break;
    }
  }
  if (t.startsWith('</s>', at)) at += 4;
  return {
    end: at,
    body: t.slice(i, at),
    unclosed,
    form: 'mistral',
    calls: ok && calls.length > 0 ? calls : undefined,
  };
}

function functionTag(t: string, i: number): Region | undefined {
  if (!t.startsWith('<function=', i)) return undefined;
  // consecutive `<function=...>` elements form one region
  let end = i;
  let unclosed = false;
  for (;;) {
    const close = t.indexOf('</function>', end);
    const next = t.indexOf('<function=', end + 1);
    if (close < 0) {
      [end, unclosed] = [t.length, true];
      break;
    }
    end = close + '</function>'.length;
    const gap = /^\s*<function=/.exec(t.slice(end));
    if (!gap || (next >= 0 && next !== end + gap[0].length - '<function='.length)) break;
  }
  const body = t.slice(i, end);
  return { end, body, unclosed, form: 'function_tag', calls: parsePayload(body) };
}

const GENERIC_TAGS = new Set([
  'function_call',
  'functioncall',
  'function_calls',
  'tool_calls',
  'tool_use',
  'tooluse',
  'toolcall',
  'tool',
  'call',
  'action',
  'api_call',
  'function',
  'tool_code',
  'tool_request',
]);

/** `<function_call>{...}</function_call>` and other tags of a model's invention, or a tag named
 * after an offered tool. */
function genericTag(t: string, i: number, tools: readonly string[] | null): Region | undefined {
  const m = /^<([A-Za-z_][\w-]*)>/.exec(t.slice(i, i + 64));
  if (!m) return undefined;
  const tag = m[1]!;
  const isTool = tools?.includes(tag) ?? false;
  if (!isTool && !GENERIC_TAGS.has(tag.toLowerCase())) return undefined;
  const r = closed(t, i, m[0], [`</${tag}>`]);
  if (isTool) {
    const call = parseToolTag(tag, r.body);
    return { ...r, form: 'tool_name_tag', calls: call && [call] };
  }
  const calls = parsePayload(r.body);
  // an unknown tag whose body is not a call is just markup
  if (!calls) return undefined;
  return { ...r, form: 'xml_tag', calls };
}
