// A deterministic JSON value that satisfies a (common subset of) JSON Schema, so requests with
// Ollama's `format` (or OpenAI's response_format) get parseable structured output from the
// emulator: objects with their required properties, enums, consts, anyOf/oneOf, arrays, scalars.
import type { Random } from '../../lib/random.ts';

type Schema = Record<string, unknown>;

const WORDS = ['alpha', 'bravo', 'delta', 'echo', 'kilo', 'lima', 'oscar', 'tango'];
const MAX_DEPTH = 8;

export function jsonFromSchema(schema: unknown, rng: Random, depth = 0): unknown {
  if (typeof schema !== 'object' || schema === null || depth > MAX_DEPTH) return null;
  const s = schema as Schema;
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[Math.floor(rng.next() * s.enum.length)];
  const options = (s.oneOf ?? s.anyOf) as unknown[] | undefined;
  if (Array.isArray(options) && options.length > 0)
    return jsonFromSchema(options[Math.floor(rng.next() * options.length)], rng, depth + 1);
  if (Array.isArray(s.allOf) && s.allOf.length > 0) return jsonFromSchema(s.allOf[0], rng, depth + 1);
  const type = Array.isArray(s.type) ? (s.type as unknown[]).find((t) => t !== 'null') : s.type;
  switch (type ?? (s.properties ? 'object' : s.items ? 'array' : 'string')) {
    case 'object':
      return objectOf(s, rng, depth);
    case 'array': {
      const n = Math.max(typeof s.minItems === 'number' ? s.minItems : 1, 1);
      return Array.from({ length: n }, () => jsonFromSchema(s.items ?? {}, rng, depth + 1));
    }
    case 'integer':
    case 'number': {
      const min = typeof s.minimum === 'number' ? s.minimum : 0;
      const max = typeof s.maximum === 'number' ? s.maximum : min + 10;
      const v = min + rng.next() * (max - min);
      return type === 'integer'
        ? Math.ceil(v) <= max
          ? Math.ceil(v)
          : Math.floor(v)
        : Math.round(v * 100) / 100;
    }
    case 'boolean':
      return rng.next() < 0.5;
    case 'null':
      return null;
    default: {
      const word = WORDS[Math.floor(rng.next() * WORDS.length)]!;
      const minLength = typeof s.minLength === 'number' ? s.minLength : 0;
      return word.padEnd(minLength, 'x');
    }
  }
}

function objectOf(s: Schema, rng: Random, depth: number): Record<string, unknown> {
  const properties = (s.properties ?? {}) as Record<string, unknown>;
  const required = Array.isArray(s.required) ? (s.required as string[]) : Object.keys(properties);
  const out: Record<string, unknown> = {};
  for (const key of required) out[key] = jsonFromSchema(properties[key] ?? {}, rng, depth + 1);
  return out;
}
