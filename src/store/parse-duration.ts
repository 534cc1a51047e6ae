// Durations on the command line (`--since 24h`): a number and a unit s, m, h, d or w.
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** milliseconds of a duration like "90s", "15m", "24h", "7d", "2w"; undefined when malformed */
export function parseDurationMs(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([smhdw])$/.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * UNIT_MS[m[2]!]!;
}
