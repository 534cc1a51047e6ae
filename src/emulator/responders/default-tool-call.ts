// The unscripted reply of a model configured with `callTools`: when tools are offered and the last
// message is not a tool result, it calls one of them (picked by the seed and the request) with
// arguments generated from the tool's JSON Schema, so tool-call paths run without a script.
import { seededRandom } from '../../lib/random.ts';
import { hashText } from './hash-text.ts';
import { requestKey } from './form-rates.ts';
import { jsonFromSchema } from './json-from-schema.ts';
import type { ResponderInput, ResponderToolCall } from './responder.ts';

export function defaultToolCall(input: ResponderInput, seed: number): ResponderToolCall | undefined {
  if (input.tools.length === 0 || input.format !== undefined) return undefined;
  if (input.messages[input.messages.length - 1]?.role === 'tool') return undefined;
  const rng = seededRandom(hashText(`tool\u0003${seed}\u0003${requestKey(input)}`));
  const name = input.tools[Math.floor(rng.next() * input.tools.length)]!;
  const schema = input.toolParameters?.[name] ?? { type: 'object' };
  const args = jsonFromSchema(schema, rng);
  return {
    name,
    arguments:
      args !== null && typeof args === 'object' && !Array.isArray(args)
        ? (args as Record<string, unknown>)
        : {},
  };
}
