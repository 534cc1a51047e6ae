// Parses the Gemma call syntax: FunctionGemma's (ai.google.dev "FunctionGemma formatting"), the
// body of `<start_function_call>` being `call:NAME{key:<escape>text<escape>,n:5}`, and Gemma 4's
// `<|tool_call>call:NAME{key:<|"|>text<|"|>}<tool_call|>`: strings delimited by a token, keys
// unquoted; also the `call:NAME(key: "v")` variant. Converted to JSON, then parsed (repaired when
// needed).
import { parseJson, type RawCall } from './raw-call.ts';

export function parseFunctionGemma(body: string, delimiter = '<escape>'): RawCall | undefined {
  // `call:NAME:NAME{` has been seen too (flutter_gemma#228)
  const m = /^\s*(?:call:)?(?:([A-Za-z_][\w.-]*):)?([A-Za-z_][\w.-]*)\s*([{(][\s\S]*)$/.exec(body);
  if (!m || (m[1] !== undefined && m[1] !== m[2])) return undefined;
  let args = m[3]!.trim();
  if (args.startsWith('(')) args = `{${args.slice(1).replace(/\)\s*$/, '')}}`;
  const json = toJson(args, delimiter);
  if (json === undefined) return undefined;
  const parsed = parseJson(json);
  if (!parsed || parsed.value === null || typeof parsed.value !== 'object' || Array.isArray(parsed.value))
    return undefined;
  return { name: m[2]!, args: parsed.value, repaired: parsed.repaired, shape: 'call' };
}

/** `{a:<escape>x<escape>,b:[1,2]}` -> `{"a":"x","b":[1,2]}`; undefined for an unclosed string. */
function toJson(text: string, delimiter: string): string | undefined {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf(delimiter, i);
    const plain = text.slice(i, open < 0 ? text.length : open);
    out += plain.replace(/([{,]\s*)([A-Za-z_][\w-]*)\s*:/g, '$1"$2":');
    if (open < 0) break;
    const close = text.indexOf(delimiter, open + delimiter.length);
    if (close < 0) return undefined;
    out += JSON.stringify(text.slice(open + delimiter.length, close));
    i = close + delimiter.length;
  }
  return out;
}
