// POST /api/show: a model's details, template, parameters and capabilities.
import { z } from 'zod';
import { OllamaModelDetailsSchema } from './common.ts';

export const OllamaShowRequestSchema = z
  .looseObject({
    model: z.string().min(1).optional(),
    /** older clients send `name` instead of `model` */
    name: z.string().min(1).optional(),
    verbose: z.boolean().optional(),
  })
  .refine((r) => r.model !== undefined || r.name !== undefined, {
    message: 'expected a model name in "model"',
    path: ['model'],
  });

export const OllamaShowResponseSchema = z.looseObject({
  license: z.string().optional(),
  modelfile: z.string().optional(),
  /** Modelfile PARAMETER lines, one per line */
  parameters: z.string().optional(),
  template: z.string().optional(),
  system: z.string().optional(),
  details: OllamaModelDetailsSchema.optional(),
  /** GGUF metadata, e.g. "qwen2.context_length", "general.parameter_count" */
  model_info: z.record(z.string(), z.unknown()).optional(),
  /** e.g. "completion", "tools", "thinking", "vision", "embedding" */
  capabilities: z.array(z.string()).optional(),
  modified_at: z.string().optional(),
});

export type OllamaShowRequest = z.infer<typeof OllamaShowRequestSchema>;
export type OllamaShowResponse = z.infer<typeof OllamaShowResponseSchema>;
