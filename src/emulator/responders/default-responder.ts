// The default reply: deterministic text of the requested length (num_predict), or of a length
// derived from the prompt, with words picked by a generator seeded by the prompt so it repeats.
// With `format`, a JSON value (of the schema when one is given).
import { seededRandom, type Random } from '../../lib/random.ts';
import { hashText } from './hash-text.ts';
import { jsonFromSchema } from './json-from-schema.ts';
import type { Responder, ResponderInput, ResponderOutput } from './responder.ts';

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

export { hashText };

export const defaultResponder: Responder = (input) => {
  const reply = answer(input);
  if (!input.think) return reply;
  const rng = seededRandom(hashText(`thinking\n${reply.content}`));
  return { ...reply, thinking: `Let me think. ${words(rng, 8 + Math.floor(rng.next() * 24))}` };
};

function words(rng: Random, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(WORDS[Math.floor(rng.next() * WORDS.length)]!);
  return out.length > 0 ? `${out.join(' ')}.` : '';
}

function answer(input: ResponderInput): ResponderOutput {
  const prompt = input.messages.map((m) => `${m.role}:${m.content}`).join('\n');
  const seed = hashText(`${input.model}\n${prompt}`);
  const rng = seededRandom(seed);
  // Structured output: valid JSON (of the schema) rather than prose, whatever the length.
  if (input.format === 'json') return { content: JSON.stringify({ answer: WORDS[seed % WORDS.length] }) };
  if (input.format) return { content: JSON.stringify(jsonFromSchema(input.format, rng)) };
  const text = words(rng, input.maxTokens ?? 16 + (seed % 48));
  return { content: text.charAt(0).toUpperCase() + text.slice(1) };
}
