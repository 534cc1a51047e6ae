// Anthropic SSE events -> core ChatEvents, for the cloud backend. Tool input arrives as JSON
// fragments; the call is emitted whole at its content_block_stop. message_stop ends with `done`.
import type { ChatEvent, FinishReason } from '../../core/chat.ts';
import { AppError } from '../../core/errors/index.ts';
import type { SSEMessage } from '../../lib/sse.ts';
import {
  AnthropicStreamEventSchema,
  type AnthropicStreamEvent,
} from '../../protocol/anthropic/stream-events.ts';
import { anthropicErrorToCore } from './anthropic-response-to-core.ts';
import { parseToolArguments } from '../shared/tool-arguments.ts';
import { fromAnthropicStopReason } from './stop-reason.ts';

export interface AnthropicStreamDecoder {
  /** events for one SSE frame; throws AppError on an `error` event or a malformed frame */
  decode(frame: SSEMessage): ChatEvent[];
  /** the HTTP body ended: throws upstream_error if message_stop never came */
  end(): ChatEvent[];
}

interface PendingTool {
  id: string;
  name: string;
  json: string;
}

export function anthropicStreamDecoder(): AnthropicStreamDecoder {
  let inputTokens = 0;
  let outputTokens = 0;
  let finish: FinishReason = 'stop';
  let toolIndex = 0;
  let done = false;
  const tools = new Map<number, PendingTool>();

  const handle = (e: AnthropicStreamEvent): ChatEvent[] => {
    switch (e.type) {
      case 'message_start':
        inputTokens = e.message.usage.input_tokens;
        outputTokens = e.message.usage.output_tokens;
        return [{ type: 'start', model: e.message.model }];
      case 'content_block_start':
        if (e.content_block.type === 'tool_use')
          tools.set(e.index, { id: e.content_block.id ?? '', name: e.content_block.name ?? '', json: '' });
        return [];
      case 'content_block_delta': {
        const d = e.delta;
        if (d.type === 'text_delta') return [{ type: 'text', delta: d.text }];
        if (d.type === 'thinking_delta') return [{ type: 'thinking', delta: d.thinking }];
        if (d.type === 'input_json_delta') {
          const t = tools.get(e.index);
          if (t) t.json += d.partial_json;
        }
        return [];
      }
      case 'content_block_stop': {
        const t = tools.get(e.index);
        if (!t) return [];
        tools.delete(e.index);
        const args = parseToolArguments(t.json, `tool_use ${t.name}.input`);
        return [{ type: 'tool_call', index: toolIndex++, call: { id: t.id, name: t.name, arguments: args } }];
      }
      case 'message_delta':
        finish = fromAnthropicStopReason(e.delta.stop_reason);
        outputTokens = e.usage.output_tokens;
        if (e.usage.input_tokens != null) inputTokens = e.usage.input_tokens;
        return [];
      case 'message_stop':
        done = true;
        return [{ type: 'done', finishReason: finish, usage: { inputTokens, outputTokens } }];
      case 'ping':
        return [];
      case 'error':
        throw anthropicErrorToCore(e.error.type, e.error.message);
    }
  };

  return {
    end() {
      if (!done) throw new AppError('upstream_error', 'the Anthropic stream ended before message_stop');
      return [];
    },
    decode(frame) {
      if (done) return [];
      const data = parseJson(frame.data);
      const type = (data as { type?: unknown } | undefined)?.type;
      // new event types Anthropic may add are skipped, as its SDK does
      if (typeof type === 'string' && !KNOWN.has(type)) return [];
      if (type === 'content_block_delta' && !KNOWN_DELTAS.has(deltaType(data))) return [];
      const parsed = AnthropicStreamEventSchema.safeParse(data);
      if (!parsed.success)
        throw new AppError('upstream_error', `Anthropic sent a malformed ${frame.event ?? 'stream'} event`);
      try {
        return handle(parsed.data);
      } catch (e) {
        if (e instanceof AppError && e.code === 'bad_request')
          throw new AppError('upstream_error', `Anthropic sent ${e.message}`);
        throw e;
      }
    },
  };
}

const KNOWN = new Set([
  'message_start',
  'content_block_start',
  'content_block_delta',
  'content_block_stop',
  'message_delta',
  'message_stop',
  'ping',
  'error',
]);

const KNOWN_DELTAS = new Set([
  'text_delta',
  'input_json_delta',
  'thinking_delta',
  'signature_delta',
  'citations_delta',
]);

function deltaType(data: unknown): string {
  const delta = (data as { delta?: { type?: unknown } }).delta;
  return typeof delta?.type === 'string' ? delta.type : '';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('upstream_error', 'Anthropic sent an event whose data is not JSON');
  }
}
