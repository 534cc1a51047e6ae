// Parses a request body with a wire schema and turns zod's issues into one AppError('bad_request')
// whose message names the field path, e.g. `messages[3].content[1].tool_use_id: expected a string`.
import type { z } from 'zod';
import { AppError } from '../../core/errors/index.ts';

type Issue = z.core.$ZodIssue;

export function parseWire<T extends z.ZodType>(schema: T, body: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(body, { reportInput: true });
  if (result.success) return result.data;
  const issue = deepestIssue(result.error.issues);
  const path = formatPath(issue.path);
  const where = path === '' ? what : path;
  throw new AppError('bad_request', `${where}: ${describeIssue(issue)}`, { path: path || undefined });
}

/** `messages[3].content[1].tool_use_id` */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

// A union's error lists every branch's issues; the branch that got furthest into the value is the
// one the client meant (an array content with one bad block, not "expected a string").
function deepestIssue(issues: readonly Issue[], prefix: readonly PropertyKey[] = []): Issue {
  let best: Issue | undefined;
  let bestDepth = -1;
  for (const issue of issues) {
    const resolved = resolveUnion(issue, prefix);
    if (resolved.path.length > bestDepth) {
      best = resolved;
      bestDepth = resolved.path.length;
    }
  }
  // zod never reports a failure without at least one issue
  return best ?? { code: 'custom', path: [...prefix], message: 'invalid value', input: undefined };
}

function resolveUnion(issue: Issue, prefix: readonly PropertyKey[]): Issue {
  const full = { ...issue, path: [...prefix, ...issue.path] } as Issue;
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return full;
  return deepestIssue(issue.errors.flat(), full.path);
}

const ARTICLE: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
  record: 'an object',
  null: 'null',
  undefined: 'nothing',
};

function describeIssue(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = ARTICLE[issue.expected] ?? issue.expected;
      return `expected ${expected}, got ${kindOf(issue.input)}`;
    }
    case 'invalid_union':
      if (issue.discriminator !== undefined) return unknownDiscriminator(issue.discriminator, issue.input);
      return 'does not match any accepted shape';
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
    case 'too_big':
    case 'custom':
    default:
      return issue.message.replace(/^Invalid input: /, '');
  }
}

function unknownDiscriminator(key: string, input: unknown): string {
  const value =
    typeof input === 'object' && input !== null ? (input as Record<string, unknown>)[key] : undefined;
  if (value === undefined) return `expected a ${key}, got nothing`;
  return `${JSON.stringify(value)} is not a supported ${key}`;
}

function kindOf(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return ARTICLE[typeof v] ?? typeof v;
}
