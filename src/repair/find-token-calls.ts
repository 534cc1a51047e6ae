// Call formats written in a model family's special tokens: DeepSeek's
// `<｜tool▁call▁begin｜>NAME<｜tool▁sep｜>{json}`, Kimi K2's
// `<|tool_call_begin|>functions.NAME:0<|tool_call_argument_begin|>{json}<|tool_call_end|>`, and
// gpt-oss's harmony `<|channel|>commentary to=functions.NAME <|constrain|>json<|message|>{json}`.
import { parseJson, type RawCall, type Region } from './raw-call.ts';
import { scanBalanced } from './scan-balanced.ts';

const DS_BEGIN = /<[|｜]tool[▁_ ]calls?[▁_ ]begin[|｜]>/y;
const DS_CALL =
  /<[|｜]tool[▁_ ]call[▁_ ]begin[|｜]>\s*(?:function\s*<[|｜]tool[▁_ ]sep[|｜]>\s*)?([\w.-]+)\s*(?:<[|｜]tool[▁_ ]sep[|｜]>)?([\s\S]*?)(?:<[|｜]tool[▁_ ]call[▁_ ]end[|｜]>|$)/g;
const DS_END = /<[|｜]tool[▁_ ]calls[▁_ ]end[|｜]>/g;

export function deepseek(t: string, i: number): Region | undefined {
  DS_BEGIN.lastIndex = i;
  const begin = DS_BEGIN.exec(t);
  if (!begin) return undefined;
  DS_END.lastIndex = i;
  const endM = DS_END.exec(t);
  const end = endM ? endM.index + endM[0].length : t.length;
  const body = t.slice(i + begin[0].length, endM ? endM.index : t.length);
  const calls: RawCall[] = [];
  let ok = true;
  for (const m of body.matchAll(DS_CALL)) {
    const parsed = parsePayloadArgs(m[2]!);
    if (!parsed) ok = false;
    else calls.push({ name: m[1]!, args: parsed.value, repaired: parsed.repaired, shape: 'call' });
  }
  return { end, body, unclosed: !endM, form: 'deepseek', calls: ok && calls.length > 0 ? calls : undefined };
}

function parsePayloadArgs(text: string): { value: unknown; repaired: boolean } | undefined {
  const t = text
    .trim()
    .replace(/^```\w*\s*/, '')
    .replace(/\s*```$/, '');
  return t.startsWith('{') ? parseJson(t) : undefined;
}

const KIMI_BEGIN = /<\|tool_calls?_section_begin\|>|<\|tool_call_begin\|>/y;
const KIMI_CALL =
  /<\|tool_call_begin\|>\s*(?:functions\.)?([\w.-]+?)(?::\d+)?\s*<\|tool_call_argument_begin\|>\s*([\s\S]*?)\s*(?:<\|tool_call_end\|>|(?=<\|tool_call_begin\|>)|$)/g;
const KIMI_END = /<\|tool_calls?_section_end\|>/g;

export function kimi(t: string, i: number): Region | undefined {
  KIMI_BEGIN.lastIndex = i;
  if (!KIMI_BEGIN.exec(t)) return undefined;
  KIMI_END.lastIndex = i;
  const endM = KIMI_END.exec(t);
  const end = endM ? endM.index + endM[0].length : t.length;
  const body = t.slice(i, endM ? endM.index : t.length);
  const calls: RawCall[] = [];
  let ok = true;
  for (const m of body.matchAll(KIMI_CALL)) {
    const parsed = m[2]!.startsWith('{') ? parseJson(m[2]!) : undefined;
    if (!parsed) ok = false;
    else calls.push({ name: m[1]!, args: parsed.value, repaired: parsed.repaired, shape: 'call' });
  }
  return { end, body, unclosed: !endM, form: 'kimi', calls: ok && calls.length > 0 ? calls : undefined };
}

const HARMONY =
  /(?:<\|start\|>assistant)?\s*(?:to=([\w.-]+)\s*)?<\|channel\|>\s*commentary(?:\s+to=([\w.-]+))?\s*(?:<\|constrain\|>\s*)?(?:json\s*)?<\|message\|>\s*/y;

/** gpt-oss: a commentary message addressed to a function is a call; its JSON ends at its brace. */
export function harmony(t: string, i: number): Region | undefined {
  if (!t.startsWith('<|start|>', i) && !t.startsWith('<|channel|>', i)) return undefined;
  HARMONY.lastIndex = i;
  const m = HARMONY.exec(t);
  const name = m?.[1] ?? m?.[2];
  if (!m || !name) return undefined;
  const at = HARMONY.lastIndex;
  const close = t[at] === '{' ? scanBalanced(t, at) : -1;
  const stop = close < 0 ? t.length : close;
  const parsed = t[at] === '{' ? parseJson(t.slice(at, stop)) : undefined;
  let end = stop;
  for (const tail of ['<|call|>', '<|end|>']) if (t.startsWith(tail, end)) end += tail.length;
  const calls: RawCall[] | undefined = parsed && [
    { name, args: parsed.value, repaired: parsed.repaired, shape: 'call' },
  ];
  return { end, body: t.slice(i, end), unclosed: close < 0, form: 'harmony', calls };
}
