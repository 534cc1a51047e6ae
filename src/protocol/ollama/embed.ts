// POST /api/embed: embeddings of one or several inputs.
import { z } from 'zod';
import { OllamaKeepAliveSchema } from './keep-alive.ts';
import { OllamaOptionsSchema } from './options.ts';

export const OllamaEmbedRequestSchema = z.looseObject({
  model: z.string().min(1, 'expected a model name'),
  input: z.union([z.string(), z.array(z.string())]),
  /** cut inputs to the context length instead of failing (Ollama's default: true) */
  truncate: z.boolean().optional(),
  dimensions: z.number().int().positive().optional(),
  options: OllamaOptionsSchema.optional(),
  keep_alive: OllamaKeepAliveSchema.optional(),
});

export const OllamaEmbedResponseSchema = z.looseObject({
  model: z.string(),
  embeddings: z.array(z.array(z.number())),
  /** ns */
  total_duration: z.number().nonnegative().optional(),
  /** ns */
  load_duration: z.number().nonnegative().optional(),
  prompt_eval_count: z.number().int().nonnegative().optional(),
});

export type OllamaEmbedRequest = z.infer<typeof OllamaEmbedRequestSchema>;
export type OllamaEmbedResponse = z.infer<typeof OllamaEmbedResponseSchema>;
