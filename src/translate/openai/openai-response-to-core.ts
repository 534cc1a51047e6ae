// OpenAI-compatible responses -> core, for cloud backends: a non-streamed completion -> ChatResult,
// and an error body -> AppError.
import type { ChatResult } from '../../core/chat.ts';
import { AppError, type ErrorCode } from '../../core/errors/index.ts';
import { OpenAIChatResponseSchema } from '../../protocol/openai/chat-response.ts';
import { parseToolArguments } from '../shared/tool-arguments.ts';
import { fromOpenAIFinishReason } from './finish-reason.ts';

/** Throws AppError('upstream_error') when the body is not a chat completion. */
export function openAIResponseToCore(body: unknown): ChatResult {
  const parsed = OpenAIChatResponseSchema.safeParse(body);
  const choice = parsed.success ? parsed.data.choices[0] : undefined;
  if (!parsed.success || !choice)
    throw new AppError('upstream_error', 'the OpenAI-compatible backend answered with an unexpected body');
  const msg = choice.message;
  const result: ChatResult = {
    model: parsed.data.model,
    text: msg.content ?? '',
    toolCalls: upstreamToolCalls(msg.tool_calls ?? []),
    finishReason: fromOpenAIFinishReason(choice.finish_reason),
    usage: {
      inputTokens: parsed.data.usage?.prompt_tokens ?? 0,
      outputTokens: parsed.data.usage?.completion_tokens ?? 0,
    },
  };
  if (msg.reasoning_content) result.thinking = msg.reasoning_content;
  return result;
}

function upstreamToolCalls(calls: readonly { id: string; function: { name: string; arguments: string } }[]) {
  return calls.map((c) => {
    try {
      return {
        id: c.id,
        name: c.function.name,
        arguments: parseToolArguments(c.function.arguments, c.function.name),
      };
    } catch {
      throw new AppError(
        'upstream_error',
        `the backend returned unparsable arguments for tool ${c.function.name}`,
      );
    }
  });
}

/** An OpenAI-style error (HTTP status + body) -> AppError for the gateway's fallback logic. */
export function openAIErrorToCore(status: number, body: unknown, retryAfterSeconds?: number): AppError {
  const error = (body as { error?: { message?: unknown } } | undefined)?.error;
  const message = typeof error?.message === 'string' ? error.message : `HTTP ${status}`;
  const options =
    retryAfterSeconds === undefined
      ? { upstreamStatus: status }
      : { upstreamStatus: status, retryAfterSeconds };
  return new AppError(codeForStatus(status), `upstream: ${message}`, options);
}

function codeForStatus(status: number): ErrorCode {
  if (status === 400 || status === 422) return 'bad_request';
  if (status === 404) return 'model_not_found';
  if (status === 413) return 'payload_too_large';
  if (status === 429) return 'rate_limited';
  if (status === 503) return 'upstream_unavailable';
  if (status === 504 || status === 408) return 'upstream_timeout';
  return 'upstream_error';
}
