// Messages API response (non-streamed). Loose: a cloud answer's new fields are kept, not rejected.
import { z } from 'zod';

export const AnthropicStopReasonSchema = z.enum([
  'end_turn',
  'max_tokens',
  'stop_sequence',
  'tool_use',
  'pause_turn',
  'refusal',
  'model_context_window_exceeded',
]);

export const AnthropicUsageSchema = z.looseObject({
  input_tokens: z.number().int().nonnegative(),
  output_tokens: z.number().int().nonnegative(),
  cache_creation_input_tokens: z.number().int().nonnegative().nullish(),
  cache_read_input_tokens: z.number().int().nonnegative().nullish(),
});

/** Blocks in a response: text, tool_use, thinking, redacted_thinking, and server blocks kept loose. */
export const AnthropicResponseBlockSchema = z.looseObject({
  type: z.string(),
  text: z.string().optional(),
  id: z.string().optional(),
  name: z.string().optional(),
  input: z.unknown().optional(),
  thinking: z.string().optional(),
  signature: z.string().optional(),
});

export const AnthropicMessageSchema = z.looseObject({
  id: z.string(),
  type: z.literal('message'),
  role: z.literal('assistant'),
  model: z.string(),
  content: z.array(AnthropicResponseBlockSchema),
  /** null only in message_start of a stream */
  stop_reason: AnthropicStopReasonSchema.nullable(),
  stop_sequence: z.string().nullable(),
  usage: AnthropicUsageSchema,
});

export type AnthropicStopReason = z.infer<typeof AnthropicStopReasonSchema>;
export type AnthropicUsage = z.infer<typeof AnthropicUsageSchema>;
export type AnthropicResponseBlock = z.infer<typeof AnthropicResponseBlockSchema>;
export type AnthropicMessage = z.infer<typeof AnthropicMessageSchema>;
