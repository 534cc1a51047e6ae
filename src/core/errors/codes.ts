// The closed set of error codes and the one table from code to HTTP status. The gateway translates
// an AppError once, at the edge, into the OpenAI, Anthropic or Ollama envelope.

export const ERROR_STATUS = {
  bad_request: 400,
  context_too_long: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  model_not_found: 404,
  payload_too_large: 413,
  unschedulable: 422,
  rate_limited: 429,
  cancelled: 499,
  internal: 500,
  load_failed: 500,
  not_implemented: 501,
  upstream_error: 502,
  upstream_unavailable: 503,
  overloaded: 503,
  upstream_timeout: 504,
  config_invalid: 500,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** Codes after which another attempt (same or next model) can help. */
export const RETRYABLE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'upstream_unavailable',
  'upstream_timeout',
  'upstream_error',
  'overloaded',
  'load_failed',
  'rate_limited',
]);

export function statusOf(code: ErrorCode): number {
  return ERROR_STATUS[code];
}
