// POST /v1/messages request body (and, without max_tokens, /v1/messages/count_tokens). Unknown
// fields are stripped: Claude Code sends new fields often and a backend must never see them.
import { z } from 'zod';
import { AnthropicContentBlockSchema, AnthropicTextBlockSchema } from './content-blocks.ts';

export const AnthropicMessageParamSchema = z.object({
  /** `system` messages inside the conversation are newer API surface; kept in place */
  role: z.enum(['user', 'assistant', 'system']),
  content: z.union([z.string(), z.array(AnthropicContentBlockSchema)]),
});

/** Structured output: `output_config.format` with a JSON schema (other output_config keys dropped). */
export const AnthropicOutputConfigSchema = z.object({
  format: z.object({ type: z.literal('json_schema'), schema: z.record(z.string(), z.unknown()) }).nullish(),
});

/**
 * A tool as sent. Custom tools have an input_schema; server tools (web_search_*, computer_*,
 * bash_*, text_editor_*, ...) have a versioned `type` and are dropped by the mapper because local
 * models cannot run them. The input_schema is checked by the mapper so errors name the tool.
 */
export const AnthropicToolParamSchema = z.object({
  type: z.string().nullish(),
  name: z.string().min(1, 'expected a non-empty tool name'),
  description: z.string().nullish(),
  input_schema: z.unknown().optional(),
  cache_control: z.looseObject({ type: z.string() }).nullish(),
});

export const AnthropicToolChoiceSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().nullish() }),
  z.object({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().nullish() }),
  z.object({
    type: z.literal('tool'),
    name: z.string(),
    disable_parallel_tool_use: z.boolean().nullish(),
  }),
  z.object({ type: z.literal('none') }),
]);

/** `{type: "enabled", budget_tokens}`, `{type: "disabled"}`, or newer modes: kept loose. */
export const AnthropicThinkingConfigSchema = z.looseObject({
  type: z.string(),
  budget_tokens: z.number().int().nonnegative().optional(),
});

const requestShape = {
  model: z.string().min(1, 'expected a model name'),
  messages: z.array(AnthropicMessageParamSchema),
  system: z.union([z.string(), z.array(AnthropicTextBlockSchema)]).optional(),
  tools: z.array(AnthropicToolParamSchema).optional(),
  tool_choice: AnthropicToolChoiceSchema.optional(),
  thinking: AnthropicThinkingConfigSchema.optional(),
  output_config: AnthropicOutputConfigSchema.optional(),
};

export const AnthropicMessagesRequestSchema = z.object({
  ...requestShape,
  max_tokens: z.number().int().positive('expected a positive integer'),
  stop_sequences: z.array(z.string()).optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().nonnegative().optional(),
  stream: z.boolean().optional(),
  metadata: z.object({ user_id: z.string().nullish() }).optional(),
});

export const AnthropicCountTokensRequestSchema = z.object(requestShape);

export const AnthropicCountTokensResponseSchema = z.looseObject({
  input_tokens: z.number().int().nonnegative(),
});

export type AnthropicMessageParam = z.infer<typeof AnthropicMessageParamSchema>;
export type AnthropicToolParam = z.infer<typeof AnthropicToolParamSchema>;
export type AnthropicToolChoice = z.infer<typeof AnthropicToolChoiceSchema>;
export type AnthropicMessagesRequest = z.infer<typeof AnthropicMessagesRequestSchema>;
export type AnthropicMessagesRequestInput = z.input<typeof AnthropicMessagesRequestSchema>;
export type AnthropicCountTokensRequest = z.infer<typeof AnthropicCountTokensRequestSchema>;
export type AnthropicCountTokensResponse = z.infer<typeof AnthropicCountTokensResponseSchema>;
