import type { ConfigProblem } from './config-error.ts';
import { formatPath } from './config-error.ts';

const PATTERN = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Scripted replies of emulated models (`emulator`, `models[].emulator`) are model output taken as
 * written: a scripted file's `${name}` (a JS template literal, a shell variable) is not ours.
 */
function isLiteral(path: readonly (string | number)[]): boolean {
  return (path.length === 1 && path[0] === 'emulator') || (path[0] === 'models' && path[2] === 'emulator');
}

/**
 * Replaces ${VAR} and ${VAR:-default} in every string of a parsed YAML document (except scripted
 * replies, see isLiteral). A variable that is unset and has no default is a problem reported at
 * its key path, never an empty string.
 */
export function interpolateEnv(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
  problems: ConfigProblem[],
  path: (string | number)[] = [],
  ancestors: Set<object> = new Set(),
): unknown {
  if (isLiteral(path)) return value;
  if (typeof value === 'string') {
    return value.replace(PATTERN, (whole, varName: string, fallback: string | undefined) => {
      const found = env[varName];
      if (found !== undefined && found !== '') return found;
      if (fallback !== undefined) return fallback;
      problems.push({
        path: formatPath(path),
        message: `environment variable ${varName} is not set (write \${${varName}:-default} for a default)`,
      });
      return whole;
    });
  }
  if (value === null || typeof value !== 'object') return value;
  // YAML anchors can make a document refer to itself (`a: &x {b: *x}`): report it, don't recurse forever
  if (ancestors.has(value)) {
    problems.push({
      path: formatPath(path),
      message: 'a YAML alias refers to a mapping or list that contains it',
    });
    return undefined;
  }
  ancestors.add(value);
  try {
    if (Array.isArray(value))
      return value.map((v, i) => interpolateEnv(v, env, problems, [...path, i], ancestors));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      out[k] = interpolateEnv(v, env, problems, [...path, k], ancestors);
    return out;
  } finally {
    ancestors.delete(value);
  }
}
