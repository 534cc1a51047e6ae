// GET /api/ps: the models loaded right now.
import { z } from 'zod';
import { OllamaModelDetailsSchema } from './common.ts';

export const OllamaPsModelSchema = z.looseObject({
  name: z.string(),
  model: z.string(),
  /** bytes of memory in use (weights + KV cache + overhead) */
  size: z.number().nonnegative(),
  /** bytes of that in GPU memory */
  size_vram: z.number().nonnegative(),
  digest: z.string(),
  details: OllamaModelDetailsSchema.optional(),
  /** RFC 3339 timestamp when the keep-alive expires (far future for "forever") */
  expires_at: z.string(),
  /** num_ctx the runner was loaded with; older Ollama versions omit it */
  context_length: z.number().int().nonnegative().optional(),
});

export const OllamaPsResponseSchema = z.looseObject({
  models: z.array(OllamaPsModelSchema),
});

export type OllamaPsModel = z.infer<typeof OllamaPsModelSchema>;
export type OllamaPsResponse = z.infer<typeof OllamaPsResponseSchema>;
