// JSON text as a small model writes it: parsed as is, else after jsonrepair (trailing commas, single
// quotes, a missing brace); undefined when neither works.
import { jsonrepair } from 'jsonrepair';

export function parseJsonLenient(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    try {
      return JSON.parse(jsonrepair(text));
    } catch {
      return undefined;
    }
  }
}
