// Core ChatEvents -> Ollama /api/chat chunks (and one response for stream false), for the
// gateway's Ollama-compatible face. Pure: the caller supplies the time for created_at.
import type { ChatEvent, ChatResult, FinishReason, Timings, Usage } from '../../core/chat.ts';
import type { OllamaChatResponse, OllamaMetrics, OllamaToolCall } from '../../protocol/ollama/index.ts';

export interface OllamaChunkEncoderOptions {
  /** the model name the client asked for (echoed in every chunk) */
  model: string;
  /** ms since the epoch, for created_at */
  now: () => number;
}

export interface OllamaChunkEncoder {
  /** chunks for one event; start and waiting produce none (NDJSON has no keep-alive comment) */
  push(event: ChatEvent): OllamaChatResponse[];
}

/** the fields every chunk and response starts with: the model asked for and the time */
export function ollamaChunkHead(options: OllamaChunkEncoderOptions): { model: string; created_at: string } {
  return { model: options.model, created_at: new Date(options.now()).toISOString() };
}

export function createOllamaChunkEncoder(options: OllamaChunkEncoderOptions): OllamaChunkEncoder {
  const chunk = (message: OllamaChatResponse['message'], done: boolean): OllamaChatResponse => ({
    ...ollamaChunkHead(options),
    message,
    done,
  });
  return {
    push(event) {
      switch (event.type) {
        case 'text':
          return event.delta === '' ? [] : [chunk({ role: 'assistant', content: event.delta }, false)];
        case 'thinking':
          return [chunk({ role: 'assistant', content: '', thinking: event.delta }, false)];
        case 'tool_call':
          return [
            chunk(
              { role: 'assistant', content: '', tool_calls: [toOllamaToolCall(event.call, event.index)] },
              false,
            ),
          ];
        case 'done':
          return [
            {
              ...chunk({ role: 'assistant', content: '' }, true),
              done_reason: ollamaDoneReason(event.finishReason),
              ...ollamaMetricsOf(event.usage, event.timings),
            },
          ];
        case 'start':
        case 'waiting':
          return [];
      }
    },
  };
}

/** A complete result as Ollama's non-streamed /api/chat response. */
export function resultToOllamaResponse(
  result: ChatResult,
  options: OllamaChunkEncoderOptions,
): OllamaChatResponse {
  const message: OllamaChatResponse['message'] = { role: 'assistant', content: result.text };
  if (result.thinking !== undefined && result.thinking !== '') message.thinking = result.thinking;
  if (result.toolCalls.length > 0)
    message.tool_calls = result.toolCalls.map((c, i) => toOllamaToolCall(c, i));
  return {
    ...ollamaChunkHead(options),
    message,
    done: true,
    done_reason: ollamaDoneReason(result.finishReason),
    ...ollamaMetricsOf(result.usage, result.timings),
  };
}

function toOllamaToolCall(
  call: { id: string; name: string; arguments: Record<string, unknown> },
  index: number,
): OllamaToolCall {
  return { id: call.id, function: { index, name: call.name, arguments: call.arguments } };
}

/** Ollama reports "stop" after tool calls too; it has no code for errors or filters. */
export function ollamaDoneReason(reason: FinishReason): string {
  return reason === 'length' ? 'length' : 'stop';
}

const MS_TO_NS = 1e6;

/** usage and timings as the metrics of Ollama's final chunk (ns) */
export function ollamaMetricsOf(usage: Usage, timings: Timings | undefined): OllamaMetrics {
  const ns = (ms: number | undefined): number => Math.round((ms ?? 0) * MS_TO_NS);
  return {
    total_duration: ns((timings?.totalMs ?? 0) + (timings?.queueMs ?? 0)),
    load_duration: ns(timings?.loadMs),
    prompt_eval_count: usage.inputTokens,
    prompt_eval_duration: ns(timings?.prefillMs),
    eval_count: usage.outputTokens,
    eval_duration: ns(timings?.decodeMs),
  };
}
