// Finish reasons between core and Anthropic. A response with tool_use blocks must end with
// stop_reason "tool_use" or Claude Code will not run the tools (Ollama says "stop" for those).
// Core has no "stopped at a stop sequence" reason, so "stop" maps to end_turn.
import type { FinishReason } from '../../core/chat.ts';
import type { AnthropicStopReason } from '../../protocol/anthropic/messages-response.ts';

export function toAnthropicStopReason(reason: FinishReason, hadToolCalls: boolean): AnthropicStopReason {
  if (hadToolCalls && (reason === 'stop' || reason === 'tool_calls')) return 'tool_use';
  if (reason === 'length') return 'max_tokens';
  if (reason === 'content_filter') return 'refusal';
  return 'end_turn';
}

export function fromAnthropicStopReason(reason: AnthropicStopReason | null | undefined): FinishReason {
  switch (reason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'stop';
  }
}
