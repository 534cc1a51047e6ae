// POST /api/chat. The response schema also describes each NDJSON chunk of a stream: chunks carry
// a message delta with done false; the last one has done true, done_reason and the metrics.
import { z } from 'zod';
import { OllamaFormatSchema, OllamaMetricsShape, OllamaThinkSchema } from './common.ts';
import { OllamaKeepAliveSchema } from './keep-alive.ts';
import { OllamaMessageSchema } from './message.ts';
import { OllamaOptionsSchema } from './options.ts';
import { OllamaToolSchema } from './tool.ts';

export const OllamaChatRequestSchema = z.looseObject({
  model: z.string().min(1, 'expected a model name'),
  /** empty or missing with a model: load it (done_reason "load"); with keep_alive 0: unload */
  messages: z.array(OllamaMessageSchema).optional(),
  tools: z.array(OllamaToolSchema).optional(),
  format: OllamaFormatSchema.optional(),
  options: OllamaOptionsSchema.optional(),
  /** Ollama streams unless told otherwise */
  stream: z.boolean().optional(),
  keep_alive: OllamaKeepAliveSchema.optional(),
  think: OllamaThinkSchema.optional(),
});

export const OllamaChatResponseSchema = z.looseObject({
  model: z.string(),
  /** RFC 3339 timestamp */
  created_at: z.string(),
  /** older Ollama versions leave the message out of the final chunk */
  message: OllamaMessageSchema.default({ role: 'assistant', content: '' }),
  done: z.boolean(),
  /** "stop", "length", "load", "unload", ... on the final chunk */
  done_reason: z.string().optional(),
  ...OllamaMetricsShape,
});

export type OllamaChatRequest = z.infer<typeof OllamaChatRequestSchema>;
export type OllamaChatRequestInput = z.input<typeof OllamaChatRequestSchema>;
export type OllamaChatResponse = z.infer<typeof OllamaChatResponseSchema>;
export type OllamaChatResponseInput = z.input<typeof OllamaChatResponseSchema>;
