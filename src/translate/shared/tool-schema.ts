// A tool's parameters must be a JSON Schema of an object: that is what every API (and Ollama)
// expects, and a string or array schema would make the model's calls unusable.
import { AppError } from '../../core/errors/index.ts';

export function checkToolSchema(schema: unknown, path: string, toolName: string): Record<string, unknown> {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema))
    throw new AppError(
      'bad_request',
      `${path}: tool "${toolName}" needs a JSON Schema object ({"type": "object", ...})`,
      { path },
    );
  const type = (schema as { type?: unknown }).type;
  if (type !== undefined && type !== 'object')
    throw new AppError(
      'bad_request',
      `${path}: tool "${toolName}" has a schema of type ${JSON.stringify(type)}; expected "object"`,
      { path },
    );
  return { type: 'object', ...(schema as Record<string, unknown>) };
}
