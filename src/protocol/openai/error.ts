// OpenAI's error envelope, for every status and also as a `data:` line inside a stream.
import { z } from 'zod';

export const OpenAIErrorBodySchema = z.looseObject({
  error: z.looseObject({
    message: z.string(),
    /** e.g. invalid_request_error, authentication_error, rate_limit_error, server_error */
    type: z.string(),
    param: z.string().nullable(),
    code: z.string().nullable(),
  }),
});

export type OpenAIErrorBody = z.infer<typeof OpenAIErrorBodySchema>;
