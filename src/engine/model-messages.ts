// Thread messages in the AI SDK's shape. A message written by another model (a dialogue) reaches
// this model as a user message that names its author.
import type { ModelMessage } from 'ai';
import type { ThreadMessage } from './thread.ts';
import { inputJsonSchema, type ToolLike } from './tool-examples.ts';

export function toModelMessages(messages: readonly ThreadMessage[]): ModelMessage[] {
  return messages.map(toModelMessage);
}

function toModelMessage(m: ThreadMessage): ModelMessage {
  if (m.role === 'user') return { role: 'user', content: m.from ? `[${m.from}] ${m.content}` : m.content };
  if (m.role === 'tool')
    return {
      role: 'tool',
      content: [
        {
          type: 'tool-result',
          toolCallId: m.toolCallId ?? '',
          toolName: m.toolName ?? '',
          output: { type: 'text', value: m.content },
        },
      ],
    };
  if (!m.toolCalls?.length) return { role: 'assistant', content: m.content };
  return {
    role: 'assistant',
    content: [
      ...(m.content ? [{ type: 'text' as const, text: m.content }] : []),
      ...m.toolCalls.map((c) => ({
        type: 'tool-call' as const,
        toolCallId: c.id,
        toolName: c.name,
        input: c.input,
      })),
    ],
  };
}

/**
 * The offered tools' definitions as the request carries them (OpenAI function tools): the server
 * renders them into the prompt, so they take room in the context window and count in its tokens.
 */
export function toolDefinitionsText(tools: readonly ToolLike[]): string {
  if (tools.length === 0) return '';
  return JSON.stringify(
    tools.map((t) => ({
      type: 'function',
      function: { name: t.name, description: t.description, parameters: inputJsonSchema(t.inputSchema) },
    })),
  );
}
