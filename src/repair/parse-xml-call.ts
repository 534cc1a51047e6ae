// Parses the XML-like call syntaxes: Qwen3-Coder's `<function=NAME><parameter=KEY>V</parameter>`,
// Llama 3.1's `<function=NAME>{json}</function>`, the `<invoke name="NAME"><parameter name="KEY">`
// style, GLM's `NAME<arg_key>K</arg_key><arg_value>V</arg_value>`, and a tag named after the tool
// with one child tag per argument (`<write_file><path>a</path></write_file>`). Values are text;
// rung 4 turns them into the schema's types.
import { parseJson, type RawCall } from './raw-call.ts';

const WRAPPERS =
  /^\s*<(function_calls|tool_calls?|tool_use|antml:function_calls)>\s*([\s\S]*?)\s*(?:<\/\1>\s*)?$/;

/** The calls when the whole text is XML-like calls, else undefined. */
export function parseXmlCalls(text: string): RawCall[] | undefined {
  let t = text.trim();
  for (let m = WRAPPERS.exec(t); m; m = WRAPPERS.exec(t)) t = m[2]!;
  if (!t.startsWith('<') && !t.includes('<arg_key>')) return undefined;
  return functionEq(t) ?? invoke(t) ?? argKeys(t);
}

const FUNCTION_EQ = /<function=([^>\s]+)>([\s\S]*?)(?:<\/function>|(?=<function=)|$)/y;

function functionEq(t: string): RawCall[] | undefined {
  return sequence(t, FUNCTION_EQ, (m) => {
    const body = m[2]!.trim();
    if (body.startsWith('{')) {
      const parsed = parseJson(body);
      if (!parsed) return undefined;
      return { name: m[1]!, args: parsed.value, repaired: parsed.repaired, shape: 'call' };
    }
    const args = params(body, /<parameter=([^>\s]+)>([\s\S]*?)(?:<\/parameter>|(?=<parameter=)|$)/y);
    return args && { name: m[1]!, args, repaired: false, shape: 'call' };
  });
}

const INVOKE = /<(?:antml:)?invoke\s+name=["']([^"']+)["']\s*>([\s\S]*?)(?:<\/(?:antml:)?invoke>|$)/y;

function invoke(t: string): RawCall[] | undefined {
  return sequence(t, INVOKE, (m) => {
    const args = params(
      m[2]!.trim(),
      /<(?:antml:)?parameter\s+name=["']([^"']+)["']\s*>([\s\S]*?)(?:<\/(?:antml:)?parameter>|$)/y,
    );
    return args && { name: m[1]!, args, repaired: false, shape: 'call' };
  });
}

function argKeys(t: string): RawCall[] | undefined {
  const m =
    /^([A-Za-z_][\w.-]*)\s*((?:<arg_key>[\s\S]*?<\/arg_key>\s*<arg_value>[\s\S]*?<\/arg_value>\s*)*)$/.exec(
      t,
    );
  if (!m || m[2] === '') return undefined;
  const args: Record<string, unknown> = {};
  for (const kv of m[2]!.matchAll(/<arg_key>([\s\S]*?)<\/arg_key>\s*<arg_value>([\s\S]*?)<\/arg_value>/g))
    args[kv[1]!.trim()] = textValue(kv[2]!);
  return [{ name: m[1]!, args, repaired: false, shape: 'call' }];
}

/** `<NAME><k>v</k>...</NAME>` where NAME is an offered tool (checked by the caller). */
export function parseToolTag(name: string, body: string): RawCall | undefined {
  const b = body.trim();
  if (b === '') return { name, args: {}, repaired: false, shape: 'call' };
  if (b.startsWith('{')) {
    const parsed = parseJson(b);
    return parsed && { name, args: parsed.value, repaired: parsed.repaired, shape: 'call' };
  }
  const args = params(b, /<([A-Za-z_][\w-]*)>([\s\S]*?)<\/\1>/y);
  return args && { name, args, repaired: false, shape: 'call' };
}

function sequence(
  t: string,
  re: RegExp,
  one: (m: RegExpExecArray) => RawCall | undefined,
): RawCall[] | undefined {
  const out: RawCall[] = [];
  let i = 0;
  while (i < t.length) {
    while (i < t.length && /\s/.test(t[i]!)) i++;
    if (i >= t.length) break;
    re.lastIndex = i;
    const m = re.exec(t);
    if (!m || m[0].length === 0) return undefined;
    const call = one(m);
    if (!call) return undefined;
    out.push(call);
    i = re.lastIndex;
  }
  return out.length > 0 ? out : undefined;
}

/** Every `KEY -> value` pair of a body made only of parameter elements, else undefined. */
function params(body: string, re: RegExp): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  let i = 0;
  while (i < body.length) {
    while (i < body.length && /\s/.test(body[i]!)) i++;
    if (i >= body.length) break;
    re.lastIndex = i;
    const m = re.exec(body);
    if (!m || m[0].length === 0) return undefined;
    out[m[1]!] = textValue(m[2]!);
    i = re.lastIndex;
  }
  return out;
}

/** A parameter's text: one leading and one trailing newline are layout, not content. */
function textValue(v: string): string {
  return v.replace(/^\r?\n/, '').replace(/\r?\n$/, '');
}
