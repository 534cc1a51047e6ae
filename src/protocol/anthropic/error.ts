// Anthropic's error envelope, for every status and as the `error` event of a stream.
import { z } from 'zod';

export const AnthropicErrorTypeSchema = z.enum([
  'invalid_request_error',
  'authentication_error',
  'permission_error',
  'not_found_error',
  'request_too_large',
  'rate_limit_error',
  'api_error',
  'overloaded_error',
  'timeout_error',
]);

export const AnthropicErrorBodySchema = z.looseObject({
  type: z.literal('error'),
  error: z.looseObject({ type: z.string(), message: z.string() }),
  request_id: z.string().nullish(),
});

export type AnthropicErrorType = z.infer<typeof AnthropicErrorTypeSchema>;
export type AnthropicErrorBody = z.infer<typeof AnthropicErrorBodySchema>;
