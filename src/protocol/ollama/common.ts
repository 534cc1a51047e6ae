// Fields shared by several Ollama requests and responses.
import { z } from 'zod';

/** `format`: "json" for any JSON, or a JSON Schema object for constrained output; "" means none */
export const OllamaFormatSchema = z.union([
  z.literal('json'),
  z.literal(''),
  z.record(z.string(), z.unknown()),
]);

/** `think`: on/off, or a level for models that support levels */
export const OllamaThinkSchema = z.union([z.boolean(), z.enum(['high', 'medium', 'low'])]);

export const OllamaDoneReasonSchema = z.string();

const count = z.number().int().nonnegative();
/** nanoseconds */
const nanos = z.number().nonnegative();

/** Metrics of a finished response (final chunk or non-streamed body). All durations in ns. */
export const OllamaMetricsShape = {
  total_duration: nanos.optional(),
  load_duration: nanos.optional(),
  /** the whole prompt, cached tokens included (current Ollama; some older versions: the evaluated tokens only) */
  prompt_eval_count: count.optional(),
  /** of prompt_eval_count, the tokens read from the KV cache (not in prompt_eval_duration) */
  prompt_eval_cached_count: count.optional(),
  prompt_eval_duration: nanos.optional(),
  eval_count: count.optional(),
  eval_duration: nanos.optional(),
};

export const OllamaMetricsSchema = z.looseObject(OllamaMetricsShape);

/** Model details as /api/tags, /api/ps and /api/show report them. */
export const OllamaModelDetailsSchema = z.looseObject({
  parent_model: z.string().optional(),
  format: z.string().optional(),
  family: z.string().optional(),
  families: z.array(z.string()).nullable().optional(),
  parameter_size: z.string().optional(),
  quantization_level: z.string().optional(),
});

export type OllamaFormat = z.infer<typeof OllamaFormatSchema>;
export type OllamaThink = z.infer<typeof OllamaThinkSchema>;
export type OllamaMetrics = z.infer<typeof OllamaMetricsSchema>;
export type OllamaModelDetails = z.infer<typeof OllamaModelDetailsSchema>;
