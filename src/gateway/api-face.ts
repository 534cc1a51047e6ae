// The three APIs the gateway speaks, and each one's error envelope. Errors are translated once,
// here at the edge, from AppError into the caller's API shape.
import type { AppError } from '../core/errors/index.ts';
import { toAnthropicError } from '../translate/anthropic/anthropic-error.ts';
import { toOpenAIError } from '../translate/openai/openai-error.ts';
import { retryHeaders } from '../translate/shared/error-response.ts';
import type { ApiFace } from '../store/index.ts';

export type { ApiFace };

export function errorResponse(face: ApiFace, error: AppError, requestId?: string): Response {
  const r =
    face === 'anthropic'
      ? toAnthropicError(error, requestId)
      : face === 'openai'
        ? toOpenAIError(error)
        : { status: error.status, body: { error: error.message }, headers: retryHeaders(error) };
  const headers: Record<string, string> = { 'content-type': 'application/json', ...r.headers };
  if (requestId) headers['x-request-id'] = requestId;
  // 499 is not a status a client can receive; it only marks the usage row
  return new Response(JSON.stringify(r.body), { status: r.status === 499 ? 400 : r.status, headers });
}
