// POST /api/generate: raw completion of a prompt. Empty prompt with a model loads it; with
// keep_alive 0 unloads it. Stream chunks share the response schema.
import { z } from 'zod';
import { OllamaFormatSchema, OllamaMetricsShape, OllamaThinkSchema } from './common.ts';
import { OllamaKeepAliveSchema } from './keep-alive.ts';
import { OllamaOptionsSchema } from './options.ts';

export const OllamaGenerateRequestSchema = z.looseObject({
  model: z.string().min(1, 'expected a model name'),
  prompt: z.string().optional(),
  suffix: z.string().optional(),
  system: z.string().optional(),
  template: z.string().optional(),
  /** token context returned by a previous /api/generate (deprecated by Ollama, still accepted) */
  context: z.array(z.number().int()).optional(),
  raw: z.boolean().optional(),
  /** base64-encoded images */
  images: z.array(z.string()).optional(),
  format: OllamaFormatSchema.optional(),
  options: OllamaOptionsSchema.optional(),
  stream: z.boolean().optional(),
  keep_alive: OllamaKeepAliveSchema.optional(),
  think: OllamaThinkSchema.optional(),
});

export const OllamaGenerateResponseSchema = z.looseObject({
  model: z.string(),
  created_at: z.string(),
  response: z.string().default(''),
  thinking: z.string().optional(),
  done: z.boolean(),
  done_reason: z.string().optional(),
  context: z.array(z.number().int()).optional(),
  ...OllamaMetricsShape,
});

export type OllamaGenerateRequest = z.infer<typeof OllamaGenerateRequestSchema>;
export type OllamaGenerateRequestInput = z.input<typeof OllamaGenerateRequestSchema>;
export type OllamaGenerateResponse = z.infer<typeof OllamaGenerateResponseSchema>;
export type OllamaGenerateResponseInput = z.input<typeof OllamaGenerateResponseSchema>;
