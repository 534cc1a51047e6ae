// Core ChatEvents -> Anthropic Messages stream, in exactly Anthropic's order: message_start (with
// usage.input_tokens) first; one content block per run of text or thinking and one per tool call,
// each content_block_start / content_block_delta* / content_block_stop with a rising index; tool
// arguments as one input_json_delta of their JSON; message_delta (stop_reason, usage) and
// message_stop last. Every frame's SSE `event:` is the payload's `type`, as the API sends it.
import type { ChatEvent, Usage } from '../../core/chat.ts';
import { AppError } from '../../core/errors/index.ts';
import type { AnthropicStreamEvent } from '../../protocol/anthropic/stream-events.ts';
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

export function anthropicStreamEncoder(options: AnthropicStreamEncoderOptions): AnthropicStreamEncoder {
  let started = false;
  let finished = false;
  let open: BlockKind | undefined;
  let index = -1;
  let toolCalls = 0;

  const frame = (event: AnthropicStreamEvent): SSEMessage => sseJson(event, event.type);

  const start = (out: SSEMessage[]): void => {
    if (started) return;
    started = true;
    out.push(frame(messageStart(options)));
  };
  const close = (out: SSEMessage[]): void => {
    if (open === undefined) return;
    out.push(frame({ type: 'content_block_stop', index }));
    open = undefined;
  };
  const openBlock = (out: SSEMessage[], kind: BlockKind): void => {
    if (open === kind) return;
    close(out);
    open = kind;
    index++;
    const block =
      kind === 'text' ? { type: 'text', text: '' } : { type: 'thinking', thinking: '', signature: '' };
    out.push(frame({ type: 'content_block_start', index, content_block: block }));
  };

  const encode = (event: ChatEvent): SSEMessage[] => {
    if (finished || event.type === 'waiting') return [];
    const out: SSEMessage[] = [];
    start(out);
    switch (event.type) {
      case 'start':
        break;
      case 'text':
        if (event.delta === '') break;
        openBlock(out, 'text');
        out.push(
          frame({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: event.delta } }),
        );
        break;
      case 'thinking':
        if (event.delta === '' || options.includeThinking === false) break;
        openBlock(out, 'thinking');
        out.push(
          frame({
            type: 'content_block_delta',
            index,
            delta: { type: 'thinking_delta', thinking: event.delta },
          }),
        );
        break;
      case 'tool_call': {
        close(out);
        index++;
        toolCalls++;
        const { id, name, arguments: args } = event.call;
        out.push(
          frame({
            type: 'content_block_start',
            index,
            content_block: { type: 'tool_use', id, name, input: {} },
          }),
        );
        const json = JSON.stringify(args);
        out.push(
          frame({
            type: 'content_block_delta',
            index,
            delta: { type: 'input_json_delta', partial_json: json },
          }),
        );
        out.push(frame({ type: 'content_block_stop', index }));
        break;
      }
      case 'done':
        close(out);
        finished = true;
        if (event.finishReason === 'error') {
          out.push(errorFrame(new AppError('upstream_error', 'the model stopped with an error')));
          break;
        }
        out.push(frame(messageDelta(toAnthropicStopReason(event.finishReason, toolCalls > 0), event.usage)));
        out.push(frame({ type: 'message_stop' }));
        break;
    }
    return out;
  };

  return {
    encode,
    ping() {
      if (finished) return [];
      const out: SSEMessage[] = [];
      start(out);
      out.push(frame({ type: 'ping' }));
      return out;
    },
    error(error) {
      if (finished) return [];
      finished = true;
      return [errorFrame(error)];
    },
    get finished() {
      return finished;
    },
  };
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
