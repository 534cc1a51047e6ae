// Anthropic SSE events -> core ChatEvents, for the cloud backend. Tool input arrives as JSON
// fragments; the call is emitted whole at its content_block_stop. message_stop ends with `done`.
import type { ChatEvent, FinishReason } from '../../core/chat.ts';
import { AppError } from '../../core/errors/index.ts';
import type { SSEMessage } from '../../lib/sse.ts';
import {
  AnthropicStreamEventSchema,
  type AnthropicDelta,
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

interface State {
  inputTokens: number;
  outputTokens: number;
  finish: FinishReason;
  toolIndex: number;
  done: boolean;
  /** tool_use blocks by content index, collecting their input JSON */
  tools: Map<number, PendingTool>;
}

export function anthropicStreamDecoder(): AnthropicStreamDecoder {
  const s: State = {
    inputTokens: 0,
    outputTokens: 0,
    finish: 'stop',
    toolIndex: 0,
    done: false,
    tools: new Map(),
  };
  return {
    end() {
      if (!s.done) throw new AppError('upstream_error', 'the Anthropic stream ended before message_stop');
      return [];
    },
    decode(frame) {
      if (s.done) return [];
      const data = parseJson(frame.data);
      const type = (data as { type?: unknown } | null)?.type;
      // new event and delta types Anthropic may add are skipped, as its SDK does
      if (typeof type === 'string' && !KNOWN.has(type)) return [];
      if (type === 'content_block_delta' && !KNOWN_DELTAS.has(deltaType(data))) return [];
      const parsed = AnthropicStreamEventSchema.safeParse(data);
      if (!parsed.success)
        throw new AppError('upstream_error', `Anthropic sent a malformed ${frame.event ?? 'stream'} event`);
      return handle(s, parsed.data);
    },
  };
}

function handle(s: State, e: AnthropicStreamEvent): ChatEvent[] {
  switch (e.type) {
    case 'message_start':
      s.inputTokens = e.message.usage.input_tokens;
      s.outputTokens = e.message.usage.output_tokens;
      return [{ type: 'start', model: e.message.model }];
    case 'content_block_start':
      if (e.content_block.type === 'tool_use')
        s.tools.set(e.index, { id: e.content_block.id ?? '', name: e.content_block.name ?? '', json: '' });
      return [];
    case 'content_block_delta':
      return blockDelta(s, e.index, e.delta);
    case 'content_block_stop':
      return toolDone(s, e.index);
    case 'message_delta':
      s.finish = fromAnthropicStopReason(e.delta.stop_reason);
      s.outputTokens = e.usage.output_tokens;
      if (e.usage.input_tokens != null) s.inputTokens = e.usage.input_tokens;
      return [];
    case 'message_stop':
      s.done = true;
      return [
        {
          type: 'done',
          finishReason: s.finish,
          usage: { inputTokens: s.inputTokens, outputTokens: s.outputTokens },
        },
      ];
    case 'ping':
      return [];
    case 'error':
      throw anthropicErrorToCore(e.error.type, e.error.message);
  }
}

function blockDelta(s: State, index: number, d: AnthropicDelta): ChatEvent[] {
  if (d.type === 'text_delta') return [{ type: 'text', delta: d.text }];
  if (d.type === 'thinking_delta') return [{ type: 'thinking', delta: d.thinking }];
  const tool = s.tools.get(index);
  if (d.type === 'input_json_delta' && tool) tool.json += d.partial_json;
  return [];
}

function toolDone(s: State, index: number): ChatEvent[] {
  const t = s.tools.get(index);
  if (!t) return [];
  s.tools.delete(index);
  let args: Record<string, unknown>;
  try {
    args = parseToolArguments(t.json, `tool_use ${t.name}.input`);
  } catch {
    throw new AppError('upstream_error', `Anthropic streamed unparsable input for tool ${t.name}`);
  }
  return [{ type: 'tool_call', index: s.toolIndex++, call: { id: t.id, name: t.name, arguments: args } }];
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
