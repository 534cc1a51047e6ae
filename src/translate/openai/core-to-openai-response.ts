// Core ChatResult -> a non-streamed Chat Completions response.
import type { ChatResult } from '../../core/chat.ts';
import type { OpenAIChatResponse } from '../../protocol/openai/chat-response.ts';
import { toOpenAIFinishReason } from './finish-reason.ts';
import { openAIUsage } from './openai-stream-encoder.ts';

export interface OpenAIResponseIds {
  id: string;
  /** Unix seconds */
  created: number;
  /** the model name the client asked for */
  model: string;
}

export function coreToOpenAIResponse(result: ChatResult, ids: OpenAIResponseIds): OpenAIChatResponse {
  const message: OpenAIChatResponse['choices'][number]['message'] = {
    role: 'assistant',
    content: result.text === '' && result.toolCalls.length > 0 ? null : result.text,
  };
  if (result.thinking) message.reasoning_content = result.thinking;
  if (result.toolCalls.length > 0)
    message.tool_calls = result.toolCalls.map((c) => ({
      id: c.id,
      type: 'function' as const,
      function: { name: c.name, arguments: JSON.stringify(c.arguments) },
    }));
  return {
    id: ids.id,
    object: 'chat.completion',
    created: ids.created,
    model: ids.model,
    choices: [
      {
        index: 0,
        message,
        finish_reason: toOpenAIFinishReason(result.finishReason, result.toolCalls.length > 0),
        logprobs: null,
      },
    ],
    usage: openAIUsage(result.usage),
  };
}
