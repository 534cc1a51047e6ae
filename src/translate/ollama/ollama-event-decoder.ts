// Ollama /api/chat chunks (or one non-streamed response) -> core ChatEvents. Pure and stateful:
// push each chunk in order. Tool calls get ids (Ollama's own when it sends one, else generated),
// the final chunk becomes `done` with usage and timings in ms.
import type { ChatEvent, ChatResult, FinishReason, ToolCall } from '../../core/chat.ts';
import type { IdGenerator } from '../../lib/ids.ts';
import type { OllamaChatResponse } from '../../protocol/ollama/index.ts';
import { hasMetrics, timingsOf } from './timings.ts';

export interface OllamaEventDecoderOptions {
  ids: IdGenerator;
  /** server name for the start event */
  server?: string;
}

export interface OllamaEventDecoder {
  /** events for one chunk; chunks after the final one yield nothing */
  push(chunk: OllamaChatResponse): ChatEvent[];
  readonly done: boolean;
}

export function createOllamaEventDecoder(options: OllamaEventDecoderOptions): OllamaEventDecoder {
  let started = false;
  let done = false;
  let calls = 0;
  return {
    get done() {
      return done;
    },
    push(chunk) {
      if (done) return [];
      const events: ChatEvent[] = [];
      if (!started) {
        started = true;
        events.push(
          options.server === undefined
            ? { type: 'start', model: chunk.model }
            : { type: 'start', model: chunk.model, server: options.server },
        );
      }
      const m = chunk.message;
      if (m.thinking !== undefined && m.thinking !== '') events.push({ type: 'thinking', delta: m.thinking });
      if (m.content !== '') events.push({ type: 'text', delta: m.content });
      for (const c of m.tool_calls ?? []) {
        const call: ToolCall = {
          id: c.id ?? options.ids('call'),
          name: c.function.name,
          arguments: c.function.arguments,
        };
        events.push({ type: 'tool_call', index: calls++, call });
      }
      if (chunk.done) {
        done = true;
        events.push(doneEvent(chunk, calls > 0));
      }
      return events;
    },
  };
}

function doneEvent(chunk: OllamaChatResponse, madeCalls: boolean): ChatEvent {
  const usage = { inputTokens: chunk.prompt_eval_count ?? 0, outputTokens: chunk.eval_count ?? 0 };
  const finishReason = finishReasonOf(chunk.done_reason, madeCalls);
  return hasMetrics(chunk)
    ? { type: 'done', finishReason, usage, timings: timingsOf(chunk) }
    : { type: 'done', finishReason, usage };
}

/** Ollama says "stop" even after tool calls; clients expect "tool_calls" then. */
export function finishReasonOf(doneReason: string | undefined, madeCalls: boolean): FinishReason {
  if (madeCalls) return 'tool_calls';
  if (doneReason === 'length') return 'length';
  return 'stop';
}

/** A non-streamed Ollama response as a core ChatResult. */
export function ollamaResponseToResult(
  response: OllamaChatResponse,
  options: OllamaEventDecoderOptions,
): ChatResult {
  const events = createOllamaEventDecoder(options).push({ ...response, done: true });
  const result: ChatResult = {
    model: response.model,
    text: '',
    toolCalls: [],
    finishReason: 'stop',
    usage: { inputTokens: 0, outputTokens: 0 },
  };
  if (options.server !== undefined) result.server = options.server;
  for (const e of events) {
    if (e.type === 'text') result.text += e.delta;
    else if (e.type === 'thinking') result.thinking = (result.thinking ?? '') + e.delta;
    else if (e.type === 'tool_call') result.toolCalls.push(e.call);
    else if (e.type === 'done') {
      result.finishReason = e.finishReason;
      result.usage = e.usage;
      if (e.timings !== undefined) result.timings = e.timings;
    }
  }
  return result;
}
