// Draws the form a reply writes its tool calls in from a model's configured rates, deterministic
// in the model's seed and the request: the same seed and conversation always give the same form,
// and over many requests each form comes out at its rate.
import type { FormRates, ToolCallForm } from '../../config/emulator-schema.ts';
import { seededRandom } from '../../lib/random.ts';
import { hashText } from './hash-text.ts';
import type { ResponderInput } from './responder.ts';

/** a stable digest of what the model was asked (model, messages, offered tools) */
export function requestKey(input: ResponderInput): string {
  const messages = input.messages.map((m) => `${m.role}\u0000${m.content}`).join('\u0001');
  return `${input.model}\u0002${messages}\u0002${input.tools.join(',')}`;
}

/**
 * The form for this request: each configured form with its probability, `fallback` for the rest
 * (the share the rates leave). `salt` separates independent draws for one request.
 */
export function drawForm(
  rates: FormRates | undefined,
  seed: number,
  input: ResponderInput,
  fallback: ToolCallForm = 'native',
  salt = 'form',
): ToolCallForm {
  if (!rates) return fallback;
  const u = uniform(seed, input, salt);
  let acc = 0;
  for (const [form, rate] of Object.entries(rates) as [ToolCallForm, number | undefined][]) {
    acc += rate ?? 0;
    if (u < acc) return form;
  }
  return fallback;
}

/** a uniform number in [0, 1) from the seed and the request */
export function uniform(seed: number, input: ResponderInput, salt: string): number {
  return seededRandom(hashText(`${salt}\u0003${seed}\u0003${requestKey(input)}`)).next();
}
