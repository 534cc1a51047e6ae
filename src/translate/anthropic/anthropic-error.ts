// AppError -> Anthropic's error envelope {type: "error", error: {type, message}}. The status comes
// from src/core/errors' table (503 for overloaded, where Anthropic itself would answer 529; the
// error type is still overloaded_error, which is what clients such as Claude Code key on).
import type { AppError, ErrorCode } from '../../core/errors/index.ts';
import type { AnthropicErrorBody, AnthropicErrorType } from '../../protocol/anthropic/error.ts';
import { retryHeaders, type ErrorResponse } from '../shared/error-response.ts';

export function toAnthropicError(error: AppError, requestId?: string): ErrorResponse<AnthropicErrorBody> {
  const body: AnthropicErrorBody = {
    type: 'error',
    error: { type: anthropicErrorType(error.code, error.status), message: error.message },
  };
  if (requestId !== undefined) body.request_id = requestId;
  return { status: error.status, body, headers: retryHeaders(error) };
}

export function anthropicErrorType(code: ErrorCode, status: number): AnthropicErrorType {
  if (code === 'overloaded' || code === 'upstream_unavailable') return 'overloaded_error';
  if (code === 'upstream_timeout') return 'timeout_error';
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'rate_limit_error';
  if (status < 500) return 'invalid_request_error';
  return 'api_error';
}
