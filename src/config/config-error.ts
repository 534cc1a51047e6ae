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

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return 'a mapping';
}
