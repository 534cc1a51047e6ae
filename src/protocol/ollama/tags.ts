// GET /api/tags: the models a server has on disk.
import { z } from 'zod';
import { OllamaModelDetailsSchema } from './common.ts';

export const OllamaTagsModelSchema = z.looseObject({
  name: z.string(),
  model: z.string().optional(),
  /** RFC 3339 timestamp */
  modified_at: z.string().optional(),
  /** bytes on disk */
  size: z.number().nonnegative(),
  digest: z.string(),
  details: OllamaModelDetailsSchema.optional(),
});

export const OllamaTagsResponseSchema = z.looseObject({
  models: z.array(OllamaTagsModelSchema),
});

export type OllamaTagsModel = z.infer<typeof OllamaTagsModelSchema>;
export type OllamaTagsResponse = z.infer<typeof OllamaTagsResponseSchema>;
