// Matches the tool name a model wrote to an offered tool: exactly, then ignoring case, `_`, `-`,
// spaces and camelCase (`WriteFile`, `write-file`, `writeFile` are `write_file`), then by a unique
// close fuzzy match (a typo or two, never a guess between two near names). Namespaces models add
// (`functions.x`, `default_api.x`, `x.call`) are stripped first.

export type NameMatch = 'exact' | 'normalized' | 'fuzzy';

export interface MatchedName {
  name: string;
  how: NameMatch;
}

const PREFIXES = /^(?:functions|function|default_api|tools|tool|api)[.:]/i;

/** The offered tool `written` refers to, or undefined when none does (or two do equally). */
export function matchToolName(written: string, offered: readonly string[]): MatchedName | undefined {
  if (offered.includes(written)) return { name: written, how: 'exact' };
  const stripped = stripNamespace(written.trim());
  if (offered.includes(stripped)) return { name: stripped, how: 'normalized' };
  const key = normalizeName(stripped);
  if (key.length === 0) return undefined;
  const same = offered.filter((o) => normalizeName(o) === key);
  if (same.length === 1) return { name: same[0]!, how: 'normalized' };
  if (same.length > 1) return undefined;
  // `search_web` for `web_search`: the same words in another order
  const bag = wordBag(stripped);
  const reordered = bag.includes('_') ? offered.filter((o) => wordBag(o) === bag) : [];
  if (reordered.length === 1) return { name: reordered[0]!, how: 'fuzzy' };
  return fuzzy(key, offered);
}

function wordBag(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .sort()
    .join('_');
}

/** Lower-cased with every separator removed: `Write-File`, `writeFile`, `write_file` -> `writefile`. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function stripNamespace(name: string): string {
  let n = name.replace(PREFIXES, '');
  n = n.replace(/\.call$/, '');
  return n;
}

function fuzzy(key: string, offered: readonly string[]): MatchedName | undefined {
  // at most one edit per 4 characters, and never more than 3: short names must match closely
  const limit = Math.min(3, Math.floor(key.length / 4));
  if (limit === 0) return undefined;
  let best: string | undefined;
  let bestD = Infinity;
  let tie = false;
  for (const o of offered) {
    const d = editDistance(key, normalizeName(o));
    if (d < bestD) {
      best = o;
      bestD = d;
      tie = false;
    } else if (d === bestD) tie = true;
  }
  if (best === undefined || tie || bestD > limit) return undefined;
  return { name: best, how: 'fuzzy' };
}

/** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
export function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return Math.abs(a.length - b.length);
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const prev = rows[i - 1]!;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      row.push(d);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}
