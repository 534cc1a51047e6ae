// Validates tool arguments against the JSON Schema subset tools use (type, properties, required,
// enum, const, items, anyOf/oneOf/allOf, additionalProperties, nullable) and, when asked, coerces
// them the way local models get them wrong (rung 4): numbers and booleans written as strings, a
// single value where an array is expected, JSON written as a string, a null for an optional field,
// an argument under another name (the tool's alias map, or the same name cased differently).
import { parseJsonLenient } from '../lib/parse-json-lenient.ts';

export type CoerceResult = { ok: true; value: unknown; coerced: boolean } | { ok: false; error: string };

export interface CoerceOptions {
  /** allow changes; false only validates */
  coerce: boolean;
  /** argument-name aliases for the top-level object: written name -> schema name */
  aliases?: Record<string, string>;
}

type Schema = Record<string, unknown>;

class SchemaError extends Error {}

interface Ctx {
  coerce: boolean;
  changed: boolean;
  aliases: Record<string, string>;
}

export function coerceToSchema(value: unknown, schema: unknown, options: CoerceOptions): CoerceResult {
  const ctx: Ctx = { coerce: options.coerce, changed: false, aliases: options.aliases ?? {} };
  try {
    const out = check(value, schema, ctx, '');
    return { ok: true, value: out, coerced: ctx.changed };
  } catch (e) {
    if (e instanceof SchemaError) return { ok: false, error: e.message };
    throw e;
  }
}

function fail(path: string, expected: string, found: unknown): never {
  throw new SchemaError(`${path || 'arguments'}: expected ${expected}, found ${describe(found)}`);
}

function describe(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return `${kindOf(v)} ${s.length > 40 ? s.slice(0, 37) + '...' : s}`;
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function check(value: unknown, schema: unknown, ctx: Ctx, path: string): unknown {
  if (schema === true || schema === undefined) return value;
  if (schema === false) fail(path, 'nothing (schema false)', value);
  if (typeof schema !== 'object' || schema === null) return value;
  const s = schema as Schema;
  let v = value;
  for (const sub of asArray(s.allOf)) v = check(v, sub, ctx, path);
  const branches = [...asArray(s.anyOf), ...asArray(s.oneOf)];
  if (branches.length > 0) v = checkBranches(v, branches, ctx, path);
  if (s.const !== undefined && !deepEqual(v, s.const)) v = coerceEnum(v, [s.const], ctx, path);
  if (Array.isArray(s.enum) && !s.enum.some((e) => deepEqual(e, v))) v = coerceEnum(v, s.enum, ctx, path);
  const types = typesOf(s);
  if (types.length === 0) return s.properties || s.items ? checkShape(v, s, ctx, path) : v;
  if (v === null && s.nullable === true) return v;
  if (!types.some((t) => hasType(v, t))) v = coerceType(v, types, ctx, path);
  return checkShape(v, s, ctx, path);
}

function checkShape(v: unknown, s: Schema, ctx: Ctx, path: string): unknown {
  if (Array.isArray(v)) return checkArray(v, s, ctx, path);
  if (v !== null && typeof v === 'object') return checkObject(v as Record<string, unknown>, s, ctx, path);
  return v;
}

function checkBranches(v: unknown, branches: unknown[], ctx: Ctx, path: string): unknown {
  for (const b of branches) {
    const strict: Ctx = { ...ctx, coerce: false, changed: false };
    try {
      return check(v, b, strict, path);
    } catch (e) {
      if (!(e instanceof SchemaError)) throw e;
    }
  }
  let first: SchemaError | undefined;
  if (ctx.coerce)
    for (const b of branches) {
      const loose: Ctx = { ...ctx, changed: false };
      try {
        const out = check(v, b, loose, path);
        ctx.changed = true;
        return out;
      } catch (e) {
        if (!(e instanceof SchemaError)) throw e;
        first ??= e;
      }
    }
  throw first ?? new SchemaError(`${path || 'arguments'}: matches none of the allowed shapes`);
}

function coerceEnum(v: unknown, allowed: unknown[], ctx: Ctx, path: string): unknown {
  if (ctx.coerce) {
    const hit = allowed.filter((e) => String(e).toLowerCase() === String(v).toLowerCase());
    if (hit.length === 1) {
      ctx.changed = true;
      return hit[0];
    }
  }
  return fail(path, `one of ${JSON.stringify(allowed)}`, v);
}

function typesOf(s: Schema): string[] {
  if (typeof s.type === 'string') return [s.type];
  if (Array.isArray(s.type)) return s.type.filter((t): t is string => typeof t === 'string');
  return [];
}

function hasType(v: unknown, t: string): boolean {
  switch (t) {
    case 'string':
      return typeof v === 'string';
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'null':
      return v === null;
    case 'array':
      return Array.isArray(v);
    case 'object':
      return v !== null && typeof v === 'object' && !Array.isArray(v);
    default:
      return true;
  }
}

function coerceType(v: unknown, types: string[], ctx: Ctx, path: string): unknown {
  if (ctx.coerce)
    for (const t of types) {
      const out = convert(v, t);
      if (out !== NO) {
        ctx.changed = true;
        return out;
      }
    }
  return fail(path, types.join(' or '), v);
}

const NO = Symbol('no conversion');

function convert(v: unknown, t: string): unknown {
  if (t === 'number' || t === 'integer') {
    if (typeof v === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(v)) {
      const n = Number(v);
      return t === 'number' || Number.isInteger(n) ? n : NO;
    }
    if (typeof v === 'boolean') return NO;
    return NO;
  }
  if (t === 'boolean') {
    if (typeof v === 'string') {
      const w = v.trim().toLowerCase();
      if (w === 'true' || w === 'yes' || w === '1') return true;
      if (w === 'false' || w === 'no' || w === '0') return false;
    }
    if (v === 1 || v === 0) return v === 1;
    return NO;
  }
  if (t === 'string') {
    // an object is not turned into text: `{"city": "Paris"}` is not a location
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    return NO;
  }
  if (t === 'array') {
    if (typeof v === 'string' && v.trim().startsWith('[')) {
      const parsed = parseJsonLenient(v);
      if (Array.isArray(parsed)) return parsed;
    }
    return v === null || v === undefined ? NO : [v];
  }
  if (t === 'object' && typeof v === 'string' && v.trim().startsWith('{')) {
    const parsed = parseJsonLenient(v);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed;
  }
  return NO;
}

function checkArray(v: unknown[], s: Schema, ctx: Ctx, path: string): unknown[] {
  const items = s.items;
  if (items === undefined) return v;
  if (Array.isArray(items)) return v.map((x, i) => check(x, items[i], ctx, `${path}[${i}]`));
  return v.map((x, i) => check(x, items, ctx, `${path}[${i}]`));
}

function checkObject(v: Record<string, unknown>, s: Schema, ctx: Ctx, path: string): Record<string, unknown> {
  const props = (s.properties ?? {}) as Record<string, unknown>;
  const required = Array.isArray(s.required)
    ? s.required.filter((r): r is string => typeof r === 'string')
    : [];
  const aliases = path === '' ? ctx.aliases : {};
  const out: Record<string, unknown> = {};
  const given = new Set(Object.keys(v).filter((k) => k in props));
  for (const [written, x] of Object.entries(v)) {
    const key = ctx.coerce ? propertyFor(written, props, aliases, given) : written;
    if (key !== written) ctx.changed = true;
    const sub = props[key];
    const at = path ? `${path}.${key}` : key;
    if (sub === undefined) {
      if (s.additionalProperties === false) {
        if (!ctx.coerce) throw new SchemaError(`${at}: not a property of ${path || 'the arguments'}`);
        ctx.changed = true; // an argument the tool does not take: dropped
        continue;
      }
      out[key] = typeof s.additionalProperties === 'object' ? check(x, s.additionalProperties, ctx, at) : x;
      continue;
    }
    if (x === null && ctx.coerce && !required.includes(key) && !acceptsNull(sub)) {
      ctx.changed = true; // an optional argument given as null: left out
      continue;
    }
    if (key in out) continue; // the schema's own name wins over an alias written as well
    out[key] = check(x, sub, ctx, at);
  }
  const missing = required.filter((r) => !(r in out));
  if (missing.length > 0)
    throw new SchemaError(
      `${path || 'arguments'}: missing required ${missing.map((m) => JSON.stringify(m)).join(', ')}`,
    );
  return out;
}

function propertyFor(
  written: string,
  props: Record<string, unknown>,
  aliases: Record<string, string>,
  given: ReadonlySet<string>,
): string {
  if (written in props) return written;
  const alias = aliases[written];
  if (alias !== undefined && alias in props) return alias;
  const key = squash(written);
  const free = Object.keys(props).filter((p) => !given.has(p));
  const same = free.filter((p) => squash(p) === key);
  if (same.length === 1) return same[0]!;
  // the names models put for common arguments (file_path for path, cmd for command, ...)
  const common = free.filter((p) => COMMON_ALIASES[squash(p)]?.includes(key));
  if (common.length === 1) return common[0]!;
  // `file_path` for `path`, `query_string` for `query`: the schema's name at either end
  const ends = free.filter(
    (p) => squash(p).length >= 3 && (key.endsWith(squash(p)) || key.startsWith(squash(p))),
  );
  return ends.length === 1 ? ends[0]! : written;
}

function squash(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

const COMMON_ALIASES: Record<string, string[]> = {
  path: ['file', 'filename', 'filepath', 'pathname', 'dir', 'directory'],
  filepath: ['path', 'file', 'filename'],
  content: ['contents', 'text', 'body', 'data'],
  query: ['q', 'search', 'searchterm', 'keywords', 'question'],
  command: ['cmd', 'shell', 'script'],
  url: ['uri', 'link', 'href'],
};

function acceptsNull(sub: unknown): boolean {
  if (typeof sub !== 'object' || sub === null) return true;
  const s = sub as Schema;
  if (s.nullable === true) return true;
  const types = typesOf(s);
  if (types.length === 0 && !s.anyOf && !s.oneOf && s.enum === undefined) return true;
  if (types.includes('null')) return true;
  return [...asArray(s.anyOf), ...asArray(s.oneOf)].some((b) => acceptsNull(b));
}

function asArray(x: unknown): unknown[] {
  return Array.isArray(x) ? x : [];
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
