// The offered tools in the ladder's shape, from the core's ToolSpec[] or from an API's tools array:
// OpenAI `{type: "function", function: {name, parameters}}`, Anthropic `{name, input_schema}`,
// Ollama (OpenAI's shape), or a bare `{name, parameters}`.
import { AppError } from '../core/errors/index.ts';
import type { ToolSpec } from '../core/chat.ts';
import type { OfferedTool } from './repair-types.ts';

const EMPTY_OBJECT = { type: 'object', properties: {} };

/** `tools` null or undefined: the offered tools are not known (names are then taken as written). */
export function toOfferedTools(
  tools: readonly ToolSpec[] | readonly unknown[] | null | undefined,
  aliases: Record<string, Record<string, string>> = {},
): OfferedTool[] | null {
  if (tools === null || tools === undefined) return null;
  if (!Array.isArray(tools)) throw bad('tools', 'an array of tools or null', tools);
  return tools.map((t, i) => {
    const tool = oneTool(t, `tools[${i}]`);
    const a = aliases[tool.name];
    return a ? { ...tool, aliases: a } : tool;
  });
}

function oneTool(t: unknown, path: string): OfferedTool {
  if (t === null || typeof t !== 'object' || Array.isArray(t)) throw bad(path, 'a tool object', t);
  const o = t as Record<string, unknown>;
  const fn =
    o.function !== null && typeof o.function === 'object' ? (o.function as Record<string, unknown>) : o;
  const at = fn === o ? path : `${path}.function`;
  if (typeof fn.name !== 'string' || fn.name === '') throw bad(`${at}.name`, 'a non-empty string', fn.name);
  const schema = fn.parameters ?? fn.input_schema ?? fn.inputSchema ?? EMPTY_OBJECT;
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema))
    throw bad(`${at}.parameters`, 'a JSON Schema object', schema);
  const out: OfferedTool = { name: fn.name, parameters: schema as Record<string, unknown> };
  if (typeof fn.description === 'string') out.description = fn.description;
  return out;
}

function bad(path: string, expected: string, found: unknown): AppError {
  const shown = JSON.stringify(found) ?? String(found);
  return new AppError(
    'bad_request',
    `${path}: expected ${expected}, found ${shown.length > 60 ? shown.slice(0, 57) + '...' : shown}`,
    { path },
  );
}
