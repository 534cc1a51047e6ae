// Tool-call arguments travel as JSON text in OpenAI's API. History sent back by clients can hold
// arguments a small model produced slightly broken; jsonrepair rescues those instead of failing the
// whole conversation forever.
import { AppError } from '../../core/errors/index.ts';
import { parseJsonLenient } from '../../lib/parse-json-lenient.ts';

export function parseToolArguments(text: string, path: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  const value = parseJsonLenient(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new AppError('bad_request', `${path}: expected the JSON text of an object`, { path });
  return value as Record<string, unknown>;
}
