// Writes argument values the ways models write them: JSON as chat templates render it (Python's
// json.dumps spacing), with the defects models add (single quotes, trailing commas, scalars as
// strings), Python literals (True/None, triple-quoted multi-line strings) and FunctionGemma's
// <escape>-delimited values. Every writer is exact for what it does not break on purpose.

export interface JsonStyle {
  /** the string quote; "'" makes JSON that only a lenient parser reads */
  quote?: '"' | "'";
  /** `", "` and `": "` between items, as Python's json.dumps and Jinja's tojson write them */
  spaced?: boolean;
  /** a comma after the last item of every non-empty object and array */
  trailingCommas?: boolean;
  /** numbers and booleans written as strings ("5", "true"), as small models often do */
  stringScalars?: boolean;
}

export function writeJson(value: unknown, style: JsonStyle = {}): string {
  const q = style.quote ?? '"';
  const comma = style.spaced ? ', ' : ',';
  const colon = style.spaced ? ': ' : ':';
  const tail = style.trailingCommas ? ',' : '';
  const write = (v: unknown): string => {
    if (typeof v === 'string') return quoted(v, q);
    if (typeof v === 'number' || typeof v === 'boolean') {
      const text = typeof v === 'number' && !Number.isFinite(v) ? 'null' : String(v);
      return style.stringScalars && text !== 'null' ? quoted(text, q) : text;
    }
    if (Array.isArray(v)) return v.length === 0 ? '[]' : `[${v.map(write).join(comma)}${tail}]`;
    if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
      if (entries.length === 0) return '{}';
      return `{${entries.map(([k, x]) => `${quoted(k, q)}${colon}${write(x)}`).join(comma)}${tail}}`;
    }
    return 'null';
  };
  return write(value);
}

/** a string literal in `quote` with JSON's escapes (the other quote character left as is) */
export function quoted(text: string, quote: '"' | "'" = '"'): string {
  let out = quote;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + quote;
}

/** a Python literal: True/False/None, lists, dicts, and """...""" for strings with newlines */
export function writePython(value: unknown): string {
  if (typeof value === 'string') return value.includes('\n') ? tripleQuoted(value) : quoted(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'None';
  if (Array.isArray(value)) return `[${value.map(writePython).join(', ')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .map(([k, x]) => `${quoted(k)}: ${writePython(x)}`)
      .join(', ')}}`;
  return 'None';
}

/** keyword arguments of a Python call: path="a.ts", content="""...""" */
export function pythonKeywords(args: Record<string, unknown>): string {
  return Object.entries(args)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${writePython(v)}`)
    .join(', ');
}

/**
 * A triple-quoted Python string that reads back as `text`: backslashes escaped (so code's own
 * "\n" stays two characters), a run of three quotes broken, a closing quote escaped.
 */
function tripleQuoted(text: string): string {
  const body = text.replaceAll('\\', '\\\\').replaceAll('"""', '""\\"').replace(/"$/, '\\"');
  return `"""${body}"""`;
}

/** FunctionGemma's values: strings between <escape> tokens, keys bare, other scalars raw */
export function writeFunctionGemma(value: unknown): string {
  if (typeof value === 'string') return `<escape>${value}<escape>`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(writeFunctionGemma).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .map(([k, x]) => `${k}:${writeFunctionGemma(x)}`)
      .join(',')}}`;
  return 'null';
}

/** a value as an XML-like tag's text: strings as written (models do not escape `<`), others as JSON */
export function tagText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
