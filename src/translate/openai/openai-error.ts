// AppError -> OpenAI's error envelope {error: {message, type, param, code}} with the status of
// src/core/errors' table. `type` follows OpenAI's families; `code` is our precise error code.
import type { AppError } from '../../core/errors/index.ts';
import type { OpenAIErrorBody } from '../../protocol/openai/error.ts';
import { retryHeaders, type ErrorResponse } from '../shared/error-response.ts';

export function toOpenAIError(error: AppError): ErrorResponse<OpenAIErrorBody> {
  const status = error.status;
  return {
    status,
    body: {
      error: {
        message: error.message,
        type: openAIErrorType(status),
        param: error.path ?? null,
        code: error.code,
      },
    },
    headers: retryHeaders(error),
  };
}

export function openAIErrorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status < 500) return 'invalid_request_error';
  return 'server_error';
}
