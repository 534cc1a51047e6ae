// The ways models emit tool calls, correct and broken, so agents' repair ladders can be driven:
// Ollama's native tool_calls, bare JSON in the text, fenced JSON, <tool_call> tags, and malformed
// JSON (trailing commas, single quotes, a missing closing brace).
import type { ResponderOutput, ResponderToolCall } from './responder.ts';

export const TOOL_CALL_FORMS = [
  'native',
  'json',
  'fenced',
  'tags',
  'trailing-comma',
  'single-quotes',
  'missing-brace',
] as const;

export type ToolCallForm = (typeof TOOL_CALL_FORMS)[number];

export function renderToolCalls(
  calls: readonly ResponderToolCall[],
  form: ToolCallForm,
  text = '',
): ResponderOutput {
  if (form === 'native') return { content: text, toolCalls: [...calls] };
  const objects = calls.map((c) => JSON.stringify({ name: c.name, arguments: c.arguments }));
  const body = (() => {
    switch (form) {
      case 'json':
        return objects.join('\n');
      case 'fenced':
        return objects.map((o) => '```json\n' + o + '\n```').join('\n');
      case 'tags':
        return objects.map((o) => `<tool_call>\n${o}\n</tool_call>`).join('\n');
      case 'trailing-comma':
        return objects.map((o) => o.replace(/([}\]"\d])(?=[}\]])/g, '$1,')).join('\n');
      case 'single-quotes':
        return objects.map((o) => o.replaceAll('"', "'")).join('\n');
      case 'missing-brace':
        return objects.map((o) => o.slice(0, -1)).join('\n');
    }
  })();
  return { content: text ? `${text}\n${body}` : body };
}
