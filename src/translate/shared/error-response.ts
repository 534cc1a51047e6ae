// What an API error handler sends: status, JSON body and headers. Shared by the OpenAI and
// Anthropic envelopes so the gateway writes any of them the same way.
import type { AppError } from '../../core/errors/index.ts';

export interface ErrorResponse<B> {
  status: number;
  body: B;
  /** Retry-After (whole seconds) when the error says when to retry */
  headers: Record<string, string>;
}

export function retryHeaders(error: AppError): Record<string, string> {
  if (error.retryAfterSeconds === undefined) return {};
  return { 'retry-after': String(Math.max(0, Math.ceil(error.retryAfterSeconds))) };
}
