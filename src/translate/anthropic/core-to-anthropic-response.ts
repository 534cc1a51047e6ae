// Core ChatResult -> a non-streamed Messages response: thinking, then text, then tool_use blocks,
// the order the API itself uses.
import type { ChatResult } from '../../core/chat.ts';
import type { AnthropicMessage, AnthropicResponseBlock } from '../../protocol/anthropic/messages-response.ts';
import { toAnthropicStopReason } from './stop-reason.ts';

export interface AnthropicResponseIds {
  /** msg_... */
  id: string;
  /** the model name the client asked for */
  model: string;
}

export function coreToAnthropicResponse(result: ChatResult, ids: AnthropicResponseIds): AnthropicMessage {
  const content: AnthropicResponseBlock[] = [];
  if (result.thinking) content.push({ type: 'thinking', thinking: result.thinking, signature: '' });
  if (result.text !== '' || result.toolCalls.length === 0) content.push({ type: 'text', text: result.text });
  for (const c of result.toolCalls)
    content.push({ type: 'tool_use', id: c.id, name: c.name, input: c.arguments });
  return {
    id: ids.id,
    type: 'message',
    role: 'assistant',
    model: ids.model,
    content,
    stop_reason: toAnthropicStopReason(result.finishReason, result.toolCalls.length > 0),
    stop_sequence: null,
    usage: { input_tokens: result.usage.inputTokens, output_tokens: result.usage.outputTokens },
  };
}
