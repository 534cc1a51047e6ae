// Turns the text inside a call marker (or a bare JSON value) into raw calls: JSON objects and
// arrays of every envelope models use, concatenated objects, stringified arguments, Python-call
// syntax, a name followed by its JSON arguments. JSON that does not parse is repaired by jsonrepair
// (rung 3) only after it has been extracted.
import { parsePythonCalls } from './parse-python-call.ts';
import { parseJson, type RawCall } from './raw-call.ts';
import { parseXmlCalls } from './parse-xml-call.ts';
import { scanBalanced } from './scan-balanced.ts';

const NAME_KEYS = ['name', 'tool_name', 'function_name', 'tool', 'function', 'recipient_name', 'action'];
const ARG_KEYS = [
  'arguments',
  'parameters',
  'args',
  'input',
  'params',
  'action_input',
  'tool_input',
  'kwargs',
];
const META_KEYS = new Set(['id', 'type', 'index', 'call_id', 'tool_call_id']);

/** The calls written in `text` (the whole text must be calls), or undefined. */
export function parsePayload(text: string): RawCall[] | undefined {
  const t = stripFence(text.trim());
  if (t === '') return undefined;
  if (t.startsWith('{') || t.startsWith('[')) {
    const json = parseJsonValues(t);
    if (json) return json;
  }
  const xml = parseXmlCalls(t);
  if (xml) return xml;
  const py = parsePythonCalls(t);
  if (py) return py.map((c) => ({ name: c.name, args: pythonArgs(c), repaired: false, shape: 'call' }));
  return nameThenJson(t);
}

/** One or more JSON values one after another (`{..}{..}`, `{..};{..}`, one per line). */
function parseJsonValues(t: string): RawCall[] | undefined {
  const out: RawCall[] = [];
  let i = 0;
  while (i < t.length) {
    while (i < t.length && /[\s,;]/.test(t[i]!)) i++;
    if (i >= t.length) break;
    if (t[i] !== '{' && t[i] !== '[') return undefined;
    const end = scanBalanced(t, i);
    const piece = t.slice(i, end < 0 ? t.length : end);
    const parsed = parseJson(piece);
    if (!parsed) return undefined;
    const calls = callsFromValue(parsed.value, parsed.repaired);
    if (!calls) return undefined;
    out.push(...calls);
    i = end < 0 ? t.length : end;
  }
  return out.length > 0 ? out : undefined;
}

/** The calls a parsed JSON value describes, or undefined when it is not (only) calls. */
export function callsFromValue(value: unknown, repaired: boolean): RawCall[] | undefined {
  if (Array.isArray(value)) {
    if (value.length === 0) return undefined;
    const all = value.map((v) => callsFromValue(v, repaired));
    return all.every((c) => c !== undefined) ? all.flat() : undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const o = value as Record<string, unknown>;
  for (const k of ['tool_calls', 'tool_uses', 'calls', 'functions']) {
    if (Array.isArray(o[k]) && Object.keys(o).length === 1) return callsFromValue(o[k], repaired);
  }
  for (const k of ['function_call', 'tool_call', 'function']) {
    const inner = o[k];
    if (inner !== null && typeof inner === 'object' && !Array.isArray(inner)) {
      const rest = Object.keys(o).filter((x) => x !== k && !META_KEYS.has(x));
      if (rest.length === 0) return callsFromValue(inner, repaired);
    }
  }
  return oneCall(o, repaired);
}

function oneCall(o: Record<string, unknown>, repaired: boolean): RawCall[] | undefined {
  const nameKey = NAME_KEYS.find((k) => typeof o[k] === 'string' && o[k].trim() !== '');
  if (!nameKey) return undefined;
  if (isToolDefinition(o)) return undefined;
  const name = (o[nameKey] as string).trim();
  const argKey = ARG_KEYS.find((k) => k in o);
  const others = Object.keys(o).filter((k) => k !== nameKey && k !== argKey && !META_KEYS.has(k));
  if (argKey === undefined)
    return [{ name, args: Object.fromEntries(others.map((k) => [k, o[k]])), repaired, shape: 'flat' }];
  if (others.length > 0) return undefined; // keys a call does not have: data, not a call
  let args = o[argKey];
  let rep = repaired;
  if (typeof args === 'string') {
    const a = args.trim();
    const parsed = a === '' ? { value: {}, repaired: false } : /^[[{]/.test(a) ? parseJson(a) : undefined;
    if (parsed) {
      args = parsed.value;
      rep ||= parsed.repaired;
    }
  }
  if (args === null) args = {};
  return [{ name, args, repaired: rep, shape: 'call' }];
}

/** `{"name", "description", "parameters": {"type": "object", "properties": ...}}` defines a tool. */
function isToolDefinition(o: Record<string, unknown>): boolean {
  const p = (o.parameters ?? o.input_schema ?? o.inputSchema) as Record<string, unknown> | undefined;
  const schemaLike =
    p !== null && typeof p === 'object' && p.type === 'object' && typeof p.properties === 'object';
  return (
    'input_schema' in o || 'inputSchema' in o || schemaLike || ('description' in o && !('arguments' in o))
  );
}

function pythonArgs(c: { args: unknown[]; kwargs: Record<string, unknown> }): unknown {
  if (c.args.length === 0) return c.kwargs;
  // positional arguments are kept in order; the ladder maps them onto the schema's properties
  return { ...c.kwargs, [POSITIONAL]: c.args };
}

/** Key under which Python positional arguments travel until the ladder maps them to names. */
export const POSITIONAL = '\u0000positional';

/** `get_weather {"city": "Paris"}` or `get_weather\n{...}`: a name, then its arguments object. */
function nameThenJson(t: string): RawCall[] | undefined {
  const m = /^([A-Za-z_][\w.-]*)\s*(?::|\n|\s)\s*(\{[\s\S]*\})\s*$/.exec(t);
  if (!m) return undefined;
  const parsed = parseJson(m[2]!);
  if (!parsed || parsed.value === null || typeof parsed.value !== 'object' || Array.isArray(parsed.value))
    return undefined;
  return [{ name: m[1]!, args: parsed.value, repaired: parsed.repaired, shape: 'call' }];
}

/** Content of a fenced block when the whole text is one (```json ... ```), else the text. */
export function stripFence(t: string): string {
  const m = /^```[\w-]*[^\n]*\n([\s\S]*?)\n?```$/.exec(t);
  return m ? m[1]!.trim() : t;
}
