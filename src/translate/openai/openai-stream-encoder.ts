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

interface State {
  options: OpenAIStreamEncoderOptions;
  /** `{"id":...,"model":...,"choices":[{"index":0,"delta":`: the same in every chunk, built once */
  head: string;
  started: boolean;
  finished: boolean;
  toolCalls: number;
}

export function openAIStreamEncoder(options: OpenAIStreamEncoderOptions): OpenAIStreamEncoder {
  const s: State = { options, head: chunkHead(options), started: false, finished: false, toolCalls: 0 };
  return {
    encode: (event) => encodeEvent(s, event),
    error(error) {
      if (s.finished) return [];
      s.finished = true;
      return [sseJson(toOpenAIError(error).body)];
    },
    get finished() {
      return s.finished;
    },
  };
}

function encodeEvent(s: State, event: ChatEvent): SSEMessage[] {
  if (s.finished || event.type === 'waiting') return [];
  const out: SSEMessage[] = [];
  if (!s.started) {
    s.started = true;
    out.push(chunk(s, { role: 'assistant', content: '' }));
  }
  switch (event.type) {
    case 'start':
      break;
    case 'text':
      if (event.delta !== '') out.push(chunk(s, { content: event.delta }));
      break;
    case 'thinking':
      if (event.delta !== '') out.push(chunk(s, { reasoning_content: event.delta }));
      break;
    case 'tool_call': {
      const call = {
        index: s.toolCalls++,
        id: event.call.id,
        type: 'function' as const,
        function: { name: event.call.name, arguments: JSON.stringify(event.call.arguments) },
      };
      out.push(chunk(s, { tool_calls: [call] }));
      break;
    }
    case 'done':
      s.finished = true;
      out.push(chunk(s, {}, toOpenAIFinishReason(event.finishReason, s.toolCalls > 0)));
      if (s.options.includeUsage) out.push(usageChunk(s.options, event.usage));
      out.push({ data: '[DONE]' });
      break;
  }
  return out;
}

function chunkHead(options: OpenAIStreamEncoderOptions): string {
  const envelope = {
    id: options.id,
    object: 'chat.completion.chunk',
    created: options.created,
    model: options.model,
    choices: [{ index: 0, delta: {}, finish_reason: null }],
  } satisfies OpenAIChatChunk;
  const json = JSON.stringify(envelope);
  return json.slice(0, json.length - '{},"finish_reason":null}]}'.length);
}

/** the JSON of one chunk, as JSON.stringify would write it, with only the delta serialized anew */
function chunk(
  s: State,
  delta: Delta,
  finish: OpenAIChatChunk['choices'][number]['finish_reason'] = null,
): SSEMessage {
  return { data: `${s.head}${JSON.stringify(delta)},"finish_reason":${JSON.stringify(finish)}}]}` };
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
