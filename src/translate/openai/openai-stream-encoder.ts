// Core ChatEvents -> Chat Completions stream chunks, as SSE frames: a first chunk with the role,
// content / reasoning / tool-call deltas, a chunk with finish_reason, the usage chunk (empty
// choices) when stream_options.include_usage was set, then `data: [DONE]`.
import type { ChatEvent, Usage } from '../../core/chat.ts';
import type { AppError } from '../../core/errors/index.ts';
import type { OpenAIChatChunk, OpenAIUsage } from '../../protocol/openai/chat-response.ts';
import { sseJson, type SSEMessage } from '../../lib/sse.ts';
import { toOpenAIFinishReason } from './finish-reason.ts';
import { toOpenAIError } from './openai-error.ts';

export interface OpenAIStreamEncoderOptions {
  id: string;
  /** the model name the client asked for */
  model: string;
  /** Unix seconds */
  created: number;
  includeUsage?: boolean;
}

export interface OpenAIStreamEncoder {
  /** frames for one event; nothing for `waiting` (send sseComment keep-alives instead) */
  encode(event: ChatEvent): SSEMessage[];
  /** an error after the stream began: OpenAI clients raise on a data line with `error` */
  error(error: AppError): SSEMessage[];
  readonly finished: boolean;
}

type Delta = OpenAIChatChunk['choices'][number]['delta'];

export function openAIUsage(usage: Usage): OpenAIUsage {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}

export function openAIStreamEncoder(options: OpenAIStreamEncoderOptions): OpenAIStreamEncoder {
  let started = false;
  let finished = false;
  let toolCalls = 0;

  const chunk = (delta: Delta, finish: OpenAIChatChunk['choices'][number]['finish_reason'] = null) =>
    sseJson({
      id: options.id,
      object: 'chat.completion.chunk',
      created: options.created,
      model: options.model,
      choices: [{ index: 0, delta, finish_reason: finish }],
    } satisfies OpenAIChatChunk);

  const opening = (): SSEMessage[] => {
    if (started) return [];
    started = true;
    return [chunk({ role: 'assistant', content: '' })];
  };

  const encode = (event: ChatEvent): SSEMessage[] => {
    if (finished || event.type === 'waiting') return [];
    const out = opening();
    switch (event.type) {
      case 'start':
        return out;
      case 'text':
        return event.delta === '' ? out : [...out, chunk({ content: event.delta })];
      case 'thinking':
        return event.delta === '' ? out : [...out, chunk({ reasoning_content: event.delta })];
      case 'tool_call': {
        const index = toolCalls++;
        const call = {
          index,
          id: event.call.id,
          type: 'function' as const,
          function: { name: event.call.name, arguments: JSON.stringify(event.call.arguments) },
        };
        return [...out, chunk({ tool_calls: [call] })];
      }
      case 'done':
        finished = true;
        out.push(chunk({}, toOpenAIFinishReason(event.finishReason, toolCalls > 0)));
        if (options.includeUsage) out.push(usageChunk(options, event.usage));
        out.push({ data: '[DONE]' });
        return out;
    }
  };

  return {
    encode,
    error(error) {
      if (finished) return [];
      finished = true;
      return [sseJson(toOpenAIError(error).body)];
    },
    get finished() {
      return finished;
    },
  };
}

function usageChunk(options: OpenAIStreamEncoderOptions, usage: Usage): SSEMessage {
  return sseJson({
    id: options.id,
    object: 'chat.completion.chunk',
    created: options.created,
    model: options.model,
    choices: [],
    usage: openAIUsage(usage),
  } satisfies OpenAIChatChunk);
}
