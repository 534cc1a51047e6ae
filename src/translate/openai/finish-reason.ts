// Finish reasons between core and OpenAI. Ollama reports "stop" even when the model called tools,
// so a response that carries tool calls always finishes with tool_calls (clients key on it).
import type { FinishReason } from '../../core/chat.ts';
import type { OpenAIFinishReason } from '../../protocol/openai/chat-response.ts';

export function toOpenAIFinishReason(reason: FinishReason, hadToolCalls: boolean): OpenAIFinishReason {
  if (hadToolCalls && (reason === 'stop' || reason === 'tool_calls')) return 'tool_calls';
  if (reason === 'tool_calls') return 'stop';
  if (reason === 'error') return 'stop';
  return reason;
}

export function fromOpenAIFinishReason(reason: OpenAIFinishReason | null | undefined): FinishReason {
  if (reason === 'length' || reason === 'content_filter' || reason === 'tool_calls') return reason;
  if (reason === 'function_call') return 'tool_calls';
  return 'stop';
}
