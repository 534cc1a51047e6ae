// Core ChatEvents -> Anthropic Messages stream, in exactly Anthropic's order: message_start (with
// usage.input_tokens) first; one content block per run of text or thinking and one per tool call,
// each content_block_start / content_block_delta* / content_block_stop with a rising index; tool
// arguments as one input_json_delta of their JSON; message_delta (stop_reason, usage) and
// message_stop last. Every frame's SSE `event:` is the payload's `type`, as the API sends it.
import type { ChatEvent, FinishReason, ToolCall, Usage } from '../../core/chat.ts';
import { AppError } from '../../core/errors/index.ts';
import type { AnthropicDelta, AnthropicStreamEvent } from '../../protocol/anthropic/stream-events.ts';
import { sseJson, type SSEMessage } from '../../lib/sse.ts';
import { toAnthropicError } from './anthropic-error.ts';
import { toAnthropicStopReason } from './stop-reason.ts';

export interface AnthropicStreamEncoderOptions {
  /** msg_... */
  id: string;
  /** the model name the client asked for */
  model: string;
  /** prompt tokens for message_start (an estimate until the backend reports the real count) */
  inputTokens?: number;
  /** pass thinking deltas on as thinking blocks (default true); false drops them */
  includeThinking?: boolean;
}

export interface AnthropicStreamEncoder {
  encode(event: ChatEvent): SSEMessage[];
  /** a keep-alive while the model loads; starts the message first if needed */
  ping(): SSEMessage[];
  /** an error after the stream began: the `error` event ends the stream */
  error(error: AppError): SSEMessage[];
  readonly finished: boolean;
}

type BlockKind = 'text' | 'thinking';

interface State {
  options: AnthropicStreamEncoderOptions;
  started: boolean;
  finished: boolean;
  /** the kind of the open text/thinking block; tool_use blocks open and close in one go */
  open: BlockKind | undefined;
  index: number;
  toolCalls: number;
}

export function anthropicStreamEncoder(options: AnthropicStreamEncoderOptions): AnthropicStreamEncoder {
  const s: State = { options, started: false, finished: false, open: undefined, index: -1, toolCalls: 0 };
  return {
    encode: (event) => encodeEvent(s, event),
    ping() {
      if (s.finished) return [];
      const out = start(s);
      out.push(frame({ type: 'ping' }));
      return out;
    },
    error(error) {
      if (s.finished) return [];
      s.finished = true;
      return [errorFrame(error)];
    },
    get finished() {
      return s.finished;
    },
  };
}

function encodeEvent(s: State, event: ChatEvent): SSEMessage[] {
  if (s.finished || event.type === 'waiting') return [];
  const out = start(s);
  switch (event.type) {
    case 'start':
      break;
    case 'text':
      if (event.delta === '') break;
      openBlock(s, out, 'text');
      out.push(delta(s.index, { type: 'text_delta', text: event.delta }));
      break;
    case 'thinking':
      if (event.delta === '' || s.options.includeThinking === false) break;
      openBlock(s, out, 'thinking');
      out.push(delta(s.index, { type: 'thinking_delta', thinking: event.delta }));
      break;
    case 'tool_call':
      toolUse(s, out, event.call);
      break;
    case 'done':
      finish(s, out, event.finishReason, event.usage);
      break;
  }
  return out;
}

function frame(event: AnthropicStreamEvent): SSEMessage {
  return sseJson(event, event.type);
}

function delta(index: number, d: AnthropicDelta): SSEMessage {
  return frame({ type: 'content_block_delta', index, delta: d });
}

function start(s: State): SSEMessage[] {
  if (s.started) return [];
  s.started = true;
  return [frame(messageStart(s.options))];
}

function close(s: State, out: SSEMessage[]): void {
  if (s.open === undefined) return;
  out.push(frame({ type: 'content_block_stop', index: s.index }));
  s.open = undefined;
}

function openBlock(s: State, out: SSEMessage[], kind: BlockKind): void {
  if (s.open === kind) return;
  close(s, out);
  s.open = kind;
  s.index++;
  const block =
    kind === 'text' ? { type: 'text', text: '' } : { type: 'thinking', thinking: '', signature: '' };
  out.push(frame({ type: 'content_block_start', index: s.index, content_block: block }));
}

function toolUse(s: State, out: SSEMessage[], call: ToolCall): void {
  close(s, out);
  s.index++;
  s.toolCalls++;
  const block = { type: 'tool_use', id: call.id, name: call.name, input: {} };
  out.push(frame({ type: 'content_block_start', index: s.index, content_block: block }));
  out.push(delta(s.index, { type: 'input_json_delta', partial_json: JSON.stringify(call.arguments) }));
  out.push(frame({ type: 'content_block_stop', index: s.index }));
}

function finish(s: State, out: SSEMessage[], reason: FinishReason, usage: Usage): void {
  close(s, out);
  s.finished = true;
  if (reason === 'error') {
    out.push(errorFrame(new AppError('upstream_error', 'the model stopped with an error')));
    return;
  }
  out.push(frame(messageDelta(toAnthropicStopReason(reason, s.toolCalls > 0), usage)));
  out.push(frame({ type: 'message_stop' }));
}

/** A standalone ping frame (event: ping), for writers that track the message themselves. */
export function anthropicPing(): SSEMessage {
  return sseJson({ type: 'ping' }, 'ping');
}

function errorFrame(error: AppError): SSEMessage {
  return sseJson(toAnthropicError(error).body, 'error');
}

function messageStart(options: AnthropicStreamEncoderOptions): AnthropicStreamEvent {
  return {
    type: 'message_start',
    message: {
      id: options.id,
      type: 'message',
      role: 'assistant',
      model: options.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: options.inputTokens ?? 0, output_tokens: 0 },
    },
  };
}

function messageDelta(
  stopReason: ReturnType<typeof toAnthropicStopReason>,
  usage: Usage,
): AnthropicStreamEvent {
  return {
    type: 'message_delta',
    delta: { stop_reason: stopReason, stop_sequence: null },
    usage: { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens },
  };
}
