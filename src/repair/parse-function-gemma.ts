// Parses FunctionGemma's call syntax (ai.google.dev "FunctionGemma formatting"): the body of
// `<start_function_call>` is `call:NAME{key:<escape>text<escape>,n:5}`, strings delimited by the
// `<escape>` token, keys unquoted. Converted to JSON, then parsed (and repaired when needed).
import { parseJson, type RawCall } from './raw-call.ts';

const ESCAPE = '<escape>';

export function parseFunctionGemma(body: string): RawCall | undefined {
  const m = /^\s*(?:call:)?([A-Za-z_][\w.-]*)\s*(\{[\s\S]*)$/.exec(body);
  if (!m) return undefined;
  const json = toJson(m[2]!.trim());
  if (json === undefined) return undefined;
  const parsed = parseJson(json);
  if (!parsed || parsed.value === null || typeof parsed.value !== 'object' || Array.isArray(parsed.value))
    return undefined;
  return { name: m[1]!, args: parsed.value, repaired: parsed.repaired, shape: 'call' };
}

/** `{a:<escape>x<escape>,b:[1,2]}` -> `{"a":"x","b":[1,2]}`; undefined for an unclosed escape. */
function toJson(text: string): string | undefined {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf(ESCAPE, i);
    const plain = text.slice(i, open < 0 ? text.length : open);
    out += plain.replace(/([{,]\s*)([A-Za-z_][\w-]*)\s*:/g, '$1"$2":');
    if (open < 0) break;
    const close = text.indexOf(ESCAPE, open + ESCAPE.length);
    if (close < 0) return undefined;
    out += JSON.stringify(text.slice(open + ESCAPE.length, close));
    i = close + ESCAPE.length;
  }
  return out;
}
