// The default reply: deterministic text of the requested length (num_predict), or of a length
// derived from the prompt, with words picked by a generator seeded by the prompt so it repeats.
// With `format`, a JSON value (of the schema when one is given).
import { seededRandom } from '../../lib/random.ts';
import { jsonFromSchema } from './json-from-schema.ts';
import type { Responder } from './responder.ts';

const WORDS = [
  'the',
  'model',
  'agent',
  'server',
  'memory',
  'token',
  'queue',
  'plan',
  'result',
  'request',
  'reply',
  'load',
  'context',
  'task',
  'tool',
  'file',
  'change',
  'test',
  'value',
  'step',
  'quickly',
  'carefully',
  'then',
  'and',
  'with',
  'for',
  'each',
  'next',
  'done',
  'check',
];

/** 32-bit FNV-1a of a string: a stable seed */
export function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export const defaultResponder: Responder = (input) => {
  const prompt = input.messages.map((m) => `${m.role}:${m.content}`).join('\n');
  const seed = hashText(`${input.model}\n${prompt}`);
  const rng = seededRandom(seed);
  // Structured output: valid JSON (of the schema) rather than prose, whatever the length.
  if (input.format === 'json') return { content: JSON.stringify({ answer: WORDS[seed % WORDS.length] }) };
  if (input.format) return { content: JSON.stringify(jsonFromSchema(input.format, rng)) };
  const length = input.maxTokens ?? 16 + (seed % 48);
  const words: string[] = [];
  for (let i = 0; i < length; i++) words.push(WORDS[Math.floor(rng.next() * WORDS.length)]!);
  if (words.length > 0) words[0] = words[0]!.charAt(0).toUpperCase() + words[0]!.slice(1);
  return { content: words.length > 0 ? `${words.join(' ')}.` : '' };
};
