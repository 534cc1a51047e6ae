// keep_alive as Ollama accepts it: a number of seconds, or a Go duration string ("5m", "1h30m",
// "0"). A negative value keeps the model loaded forever; 0 unloads it after the request.
import { z } from 'zod';

const GO_DURATION = /^[-+]?(\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)?((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))*$/;

export const OllamaKeepAliveSchema = z.union([
  z.number(),
  z.string().regex(GO_DURATION, 'expected a number of seconds or a duration like "5m", "1h30m", "0"'),
]);

export type OllamaKeepAlive = z.infer<typeof OllamaKeepAliveSchema>;

const UNIT_SECONDS: Record<string, number> = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
};

/**
 * Seconds a keep_alive value stands for; Infinity for a negative value (keep loaded forever).
 * A bare number in a string counts as seconds, as Ollama reads it.
 */
export function keepAliveSeconds(value: OllamaKeepAlive): number {
  const seconds = typeof value === 'number' ? value : durationSeconds(value);
  return seconds < 0 ? Number.POSITIVE_INFINITY : seconds;
}

function durationSeconds(text: string): number {
  const sign = text.startsWith('-') ? -1 : 1;
  const body = text.replace(/^[-+]/, '');
  if (/^(\d+(\.\d*)?|\.\d+)$/.test(body)) return sign * Number(body);
  let total = 0;
  for (const m of body.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g))
    total += Number(m[1]) * (UNIT_SECONDS[m[2]!] ?? 0);
  return sign * total;
}
