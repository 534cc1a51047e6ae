// A call as found in the text, before its name is matched and its arguments checked.
import { jsonrepair } from 'jsonrepair';
import type { CallForm } from './repair-types.ts';

export interface RawCall {
  /** the name as the model wrote it */
  name: string;
  /** the arguments as parsed (an object when well-formed) */
  args: unknown;
  /** jsonrepair was needed for this call's text */
  repaired: boolean;
  /** 'call': an explicit call shape; 'flat': `{name, ...arguments}` (a call only if `name` is a tool) */
  shape: 'call' | 'flat';
}

/** Parses a JSON text, repairing it when needed; undefined when even jsonrepair cannot. */
export function parseJson(text: string): { value: unknown; repaired: boolean } | undefined {
  try {
    return { value: JSON.parse(text), repaired: false };
  } catch {
    try {
      return { value: JSON.parse(jsonrepair(text)), repaired: true };
    } catch {
      return undefined;
    }
  }
}

/** A region of a reply that a call marker spans. */
export interface Region {
  end: number;
  form: CallForm;
  /** the calls inside, or undefined when the body did not parse */
  calls: RawCall[] | undefined;
  body: string;
  /** the marker never closed: the reply ended inside it (a token limit) */
  unclosed: boolean;
}
