// Anthropic responses -> core, for the cloud backend: a non-streamed Message -> ChatResult, and an
// upstream error body -> AppError with the code the gateway's fallback logic understands.
import type { ChatResult, ToolCall } from '../../core/chat.ts';
import { AppError, type ErrorCode } from '../../core/errors/index.ts';
import { AnthropicMessageSchema } from '../../protocol/anthropic/messages-response.ts';
import { fromAnthropicStopReason } from './stop-reason.ts';

/** Throws AppError('upstream_error') when the body is not a Messages response. */
export function anthropicResponseToCore(body: unknown): ChatResult {
  const parsed = AnthropicMessageSchema.safeParse(body);
  if (!parsed.success)
    throw new AppError(
      'upstream_error',
      `Anthropic answered with an unexpected body: ${parsed.error.issues[0]?.message}`,
    );
  const msg = parsed.data;
  let text = '';
  let thinking = '';
  const toolCalls: ToolCall[] = [];
  for (const b of msg.content) {
    if (b.type === 'text' && b.text !== undefined) text += b.text;
    else if (b.type === 'thinking' && b.thinking !== undefined) thinking += b.thinking;
    else if (b.type === 'tool_use' && b.id !== undefined && b.name !== undefined)
      toolCalls.push({ id: b.id, name: b.name, arguments: asObject(b.input) });
  }
  const result: ChatResult = {
    model: msg.model,
    text,
    toolCalls,
    finishReason: fromAnthropicStopReason(msg.stop_reason),
    usage: { inputTokens: msg.usage.input_tokens, outputTokens: msg.usage.output_tokens },
  };
  if (thinking !== '') result.thinking = thinking;
  return result;
}

export function asObject(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

const UPSTREAM_CODES: Record<string, ErrorCode> = {
  invalid_request_error: 'bad_request',
  authentication_error: 'upstream_error',
  permission_error: 'upstream_error',
  billing_error: 'upstream_error',
  not_found_error: 'model_not_found',
  request_too_large: 'payload_too_large',
  rate_limit_error: 'rate_limited',
  timeout_error: 'upstream_timeout',
  overloaded_error: 'overloaded',
  api_error: 'upstream_error',
};

/**
 * An Anthropic error (HTTP body or stream `error` event) -> AppError. Our own key being refused is
 * an upstream problem, not the client's: authentication errors map to upstream_error.
 */
export function anthropicErrorToCore(type: string, message: string, retryAfterSeconds?: number): AppError {
  const code = UPSTREAM_CODES[type] ?? 'upstream_error';
  return new AppError(
    code,
    `Anthropic: ${message}`,
    retryAfterSeconds === undefined ? {} : { retryAfterSeconds },
  );
}
