// Examples of tool calls generated from the tools' real input schemas, so an example can never
// disagree with what the engine validates (the original's hand-written examples did).
import { z } from 'zod';

type JsonSchema = Record<string, unknown>;

export function inputJsonSchema(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
}

/** A value that satisfies `schema` (required properties only), with placeholders for strings. */
export function exampleValue(schema: JsonSchema, name = 'value', depth = 0): unknown {
  if (depth > 6) return null;
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if ('default' in schema && schema.default !== undefined) return schema.default;
  const union = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(union) && union[0]) return exampleValue(union[0], name, depth + 1);
  const type = Array.isArray(schema.type) ? (schema.type[0] as string) : (schema.type as string | undefined);
  switch (type) {
    case 'string':
      return `<${name}>`;
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 1;
    case 'boolean':
      return true;
    case 'array':
      return [exampleValue((schema.items as JsonSchema | undefined) ?? {}, name, depth + 1)];
    case 'object':
      return exampleObject(schema, depth);
    default:
      return `<${name}>`;
  }
}

function exampleObject(schema: JsonSchema, depth: number): Record<string, unknown> {
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required as string[] | undefined) ?? Object.keys(props));
  const out: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(props))
    if (required.has(key)) out[key] = exampleValue(prop, key, depth + 1);
  return out;
}

export interface ToolLike {
  name: string;
  description: string;
  inputSchema: z.ZodType;
}

/** One line per tool: the call as the model should make it, arguments from the schema. */
export function toolCallExample(tool: ToolLike): string {
  const args = exampleValue(inputJsonSchema(tool.inputSchema), 'value');
  return `${tool.name} ${JSON.stringify(args)}`;
}
