// Core ChatEvents -> Ollama /api/generate chunks (and one response for stream false), for the
// gateway's Ollama face: `response` carries the text where /api/chat has `message`. Pure: the
// caller supplies the time for created_at. A generate request offers no tools, so tool calls (which
// a model could still make up) have no place in it and are left out.
import type { ChatEvent, ChatResult } from '../../core/chat.ts';
import type { OllamaGenerateResponse } from '../../protocol/ollama/index.ts';
import {
  ollamaChunkHead,
  ollamaDoneReason,
  ollamaMetricsOf,
  type OllamaChunkEncoderOptions,
} from './to-ollama-chunks.ts';

export interface OllamaGenerateEncoder {
  /** chunks for one event; start, waiting and tool calls produce none */
  push(event: ChatEvent): OllamaGenerateResponse[];
}

export function createOllamaGenerateEncoder(options: OllamaChunkEncoderOptions): OllamaGenerateEncoder {
  const chunk = (response: string, done: boolean): OllamaGenerateResponse => ({
    ...ollamaChunkHead(options),
    response,
    done,
  });
  return {
    push(event) {
      switch (event.type) {
        case 'text':
          return event.delta === '' ? [] : [chunk(event.delta, false)];
        case 'thinking':
          return event.delta === '' ? [] : [{ ...chunk('', false), thinking: event.delta }];
        case 'done':
          return [
            {
              ...chunk('', true),
              done_reason: ollamaDoneReason(event.finishReason),
              ...ollamaMetricsOf(event.usage, event.timings),
            },
          ];
        case 'tool_call':
        case 'start':
        case 'waiting':
          return [];
      }
    },
  };
}

/** A complete result as Ollama's non-streamed /api/generate response. */
export function resultToOllamaGenerateResponse(
  result: ChatResult,
  options: OllamaChunkEncoderOptions,
): OllamaGenerateResponse {
  const out: OllamaGenerateResponse = {
    ...ollamaChunkHead(options),
    response: result.text,
    done: true,
    done_reason: ollamaDoneReason(result.finishReason),
    ...ollamaMetricsOf(result.usage, result.timings),
  };
  if (result.thinking !== undefined && result.thinking !== '') out.thinking = result.thinking;
  return out;
}
