// GET /api/version.
import { z } from 'zod';

export const OllamaVersionResponseSchema = z.looseObject({
  version: z.string(),
});

export type OllamaVersionResponse = z.infer<typeof OllamaVersionResponseSchema>;
