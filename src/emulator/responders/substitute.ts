// $1..$9 and $<name> in a scripted reply become what the rule's regexes captured. A reference to a
// group the rule does not have stays as written, so scripted code that uses `$1` itself (a regex
// replacement, a shell script) survives; `$$1` writes a literal `$1` where the group does exist.
import type { RuleCaptures } from './rule-match.ts';

export function substitute(text: string, captures: RuleCaptures): string {
  return text.replace(
    /\$(\$?)(\d|<([A-Za-z_][A-Za-z0-9_]*)>)/g,
    (whole, escaped: string, ref: string, name?: string) => {
      const value = name !== undefined ? captures.named[name] : captures.groups[Number(ref)];
      if (value === undefined) return whole;
      return escaped ? whole.slice(1) : value;
    },
  );
}

/** substitutes in every string of a JSON-like value (keys stay as written) */
export function substituteDeep(value: unknown, captures: RuleCaptures): unknown {
  if (typeof value === 'string') return substitute(value, captures);
  if (Array.isArray(value)) return value.map((v) => substituteDeep(v, captures));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, substituteDeep(v, captures)]),
    );
  return value;
}
