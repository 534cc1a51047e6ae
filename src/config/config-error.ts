import type { z } from 'zod';
import { AppError } from '../core/errors/index.ts';

export interface ConfigProblem {
  /** key path like servers[1].memoryGiB ('' for the whole file) */
  path: string;
  message: string;
}

/** Raised when a config file cannot be used; lists every problem found, each with its key path. */
export class ConfigError extends AppError {
  readonly file: string;
  readonly problems: readonly ConfigProblem[];

  constructor(file: string, problems: readonly ConfigProblem[]) {
    super('config_invalid', problems.map((p) => formatProblem(file, p)).join('\n'), {
      retryable: false,
      path: problems[0]?.path,
    });
    this.file = file;
    this.problems = problems;
  }
}

export function formatProblem(file: string, p: ConfigProblem): string {
  return p.path ? `${file}: ${p.path}: ${p.message}` : `${file}: ${p.message}`;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

/** zod's type names in the words describeValue uses for what was found */
const TYPE_WORDS: Record<string, string> = {
  array: 'a list',
  object: 'a mapping',
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
};

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing (the key is missing)';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return 'a mapping';
}

/** a zod issue as a problem: the key path, what was expected and what was found */
export function issueToProblem(issue: z.core.$ZodIssue, data: unknown): ConfigProblem {
  const path = formatPath(issue.path);
  const input = 'input' in issue ? issue.input : valueAt(data, issue.path);
  if (issue.code === 'invalid_union') return unionProblem(issue, data, input);
  if (issue.code === 'unrecognized_keys')
    return { path, message: `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}` };
  if (issue.code === 'invalid_value')
    return {
      path,
      message: `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, found ${describeValue(input)}`,
    };
  const expected = issue.message
    .replace(/^Invalid input: /, '')
    .replace(/, received \w+$/, '')
    .replace(
      /^expected (array|object|string|number|boolean)$/,
      (_, t: string) => `expected ${TYPE_WORDS[t]}`,
    );
  return { path, message: `${expected}, found ${describeValue(input)}` };
}

/**
 * A value that matched none of a union's forms (an alias is a list or a mapping): the problem of
 * the form whose type the value has (its first issue, with the full path), or else what each form
 * expected
 */
function unionProblem(issue: z.core.$ZodIssueInvalidUnion, data: unknown, input: unknown): ConfigProblem {
  const rootType = (i: z.core.$ZodIssue): boolean => i.path.length === 0 && i.code === 'invalid_type';
  const matching = issue.errors.filter((branch) => branch.length > 0 && !branch.some(rootType));
  // a misspelt key says more than the missing key it stands for
  const branch = matching.length === 1 ? matching[0]! : [];
  const first = branch.find((i) => i.code === 'unrecognized_keys') ?? branch[0];
  if (first) return issueToProblem({ ...first, path: [...issue.path, ...first.path] }, data);
  const expected = issue.errors
    .flatMap((b) => b.filter(rootType).map((i) => (i as z.core.$ZodIssueInvalidType).expected))
    .map((t) => TYPE_WORDS[t] ?? t);
  const what = expected.length > 0 ? [...new Set(expected)].join(' or ') : 'another form';
  return { path: formatPath(issue.path), message: `expected ${what}, found ${describeValue(input)}` };
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let cur = data;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[k];
  }
  return cur;
}
