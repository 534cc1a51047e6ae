// The gateway's Ollama face, outbound: core events -> /api/chat NDJSON chunks, results -> one body.
import type { ChatEvent, ChatResult, Timings, Usage } from '../core/chat.ts';
import type { FaceAdapter, StreamIds } from './face-adapter.ts';
import { ollamaChatToCore, parseOllamaChat } from './ollama-face-request.ts';

const NS = 1e6; // ns per ms

function metrics(usage: Usage, timings: Timings | undefined): Record<string, number> {
  return {
    total_duration: Math.round((timings?.totalMs ?? 0) * NS),
    load_duration: Math.round((timings?.loadMs ?? 0) * NS),
    prompt_eval_count: usage.inputTokens,
    prompt_eval_duration: Math.round((timings?.prefillMs ?? 0) * NS),
    eval_count: usage.outputTokens,
    eval_duration: Math.round((timings?.decodeMs ?? 0) * NS),
  };
}

const doneReason = (r: ChatResult['finishReason']): string => (r === 'length' ? 'length' : 'stop');
const line = (v: unknown): string => `${JSON.stringify(v)}\n`;

function chunk(
  ids: StreamIds,
  message: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): string {
  return line({
    model: ids.model,
    created_at: new Date(ids.created * 1000).toISOString(),
    message: { role: 'assistant', content: '', ...message },
    done: false,
    ...extra,
  });
}

function encode(ids: StreamIds, e: ChatEvent): string {
  switch (e.type) {
    case 'text':
      return e.delta === '' ? '' : chunk(ids, { content: e.delta });
    case 'thinking':
      return e.delta === '' ? '' : chunk(ids, { thinking: e.delta });
    case 'tool_call':
      return chunk(ids, {
        tool_calls: [{ id: e.call.id, function: { name: e.call.name, arguments: e.call.arguments } }],
      });
    case 'done':
      return chunk(
        ids,
        {},
        { done: true, done_reason: doneReason(e.finishReason), ...metrics(e.usage, e.timings) },
      );
    default:
      return '';
  }
}

export const ollamaAdapter: FaceAdapter = {
  face: 'ollama',
  contentType: 'application/x-ndjson',
  toCore: (body, meta) => ollamaChatToCore(parseOllamaChat(body), meta),
  framer(ids) {
    return {
      encode: (e) => encode(ids, e),
      // Ollama clients read whole lines; an empty-content chunk keeps the connection alive
      keepAlive: () => '',
      error: (err) => line({ error: err.message }),
    };
  },
  render(result, ids) {
    const message: Record<string, unknown> = { role: 'assistant', content: result.text };
    if (result.thinking) message.thinking = result.thinking;
    if (result.toolCalls.length > 0)
      message.tool_calls = result.toolCalls.map((c) => ({
        id: c.id,
        function: { name: c.name, arguments: c.arguments },
      }));
    return {
      model: ids.model,
      created_at: new Date(ids.created * 1000).toISOString(),
      message,
      done: true,
      done_reason: doneReason(result.finishReason),
      ...metrics(result.usage, result.timings),
    };
  },
};
