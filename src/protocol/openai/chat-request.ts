// POST /v1/chat/completions request body. Unknown fields are stripped (z.object), so new OpenAI
// fields never reach a backend that would reject them. Optional scalars are nullish because some
// clients send explicit nulls for "not set".
import { z } from 'zod';

export const OpenAITextPartSchema = z.object({ type: z.literal('text'), text: z.string() });

export const OpenAIImagePartSchema = z.object({
  type: z.literal('image_url'),
  image_url: z.object({
    /** a data: URL (base64) or an http(s) URL */
    url: z.string(),
    detail: z.enum(['auto', 'low', 'high']).nullish(),
  }),
});

/** Parts we accept on the wire but cannot give a local model (audio, files, refusals). */
export const OpenAIOtherPartSchema = z.object({
  type: z.enum(['input_audio', 'file', 'refusal']),
  refusal: z.string().nullish(),
});

export const OpenAIContentPartSchema = z.discriminatedUnion('type', [
  OpenAITextPartSchema,
  OpenAIImagePartSchema,
  OpenAIOtherPartSchema,
]);

const content = z.union([z.string(), z.array(OpenAIContentPartSchema)]);

export const OpenAIToolCallSchema = z.object({
  id: z.string(),
  type: z.literal('function').optional(),
  function: z.object({
    name: z.string(),
    /** JSON text of the arguments object */
    arguments: z.string(),
  }),
});

const systemMessage = z.object({ role: z.literal('system'), content, name: z.string().nullish() });
/** the newer name of the system role (o1 and later) */
const developerMessage = z.object({ role: z.literal('developer'), content, name: z.string().nullish() });
const userMessage = z.object({ role: z.literal('user'), content, name: z.string().nullish() });
const assistantMessage = z.object({
  role: z.literal('assistant'),
  content: content.nullish(),
  /** some OpenAI-compatible servers return reasoning; clients echo it back */
  reasoning_content: z.string().nullish(),
  refusal: z.string().nullish(),
  tool_calls: z.array(OpenAIToolCallSchema).nullish(),
  name: z.string().nullish(),
});
const toolMessage = z.object({
  role: z.literal('tool'),
  content,
  tool_call_id: z.string(),
});

export const OpenAIMessageSchema = z.discriminatedUnion('role', [
  systemMessage,
  developerMessage,
  userMessage,
  assistantMessage,
  toolMessage,
]);

export const OpenAIToolSchema = z.object({
  type: z.literal('function'),
  function: z.object({
    name: z.string().min(1, 'expected a non-empty tool name'),
    description: z.string().nullish(),
    /** JSON Schema of the arguments object; OpenAI allows it to be left out (no arguments) */
    parameters: z.record(z.string(), z.unknown()).nullish(),
    strict: z.boolean().nullish(),
  }),
});

export const OpenAIToolChoiceSchema = z.union([
  z.enum(['auto', 'none', 'required']),
  z.object({ type: z.literal('function'), function: z.object({ name: z.string() }) }),
]);

export const OpenAIResponseFormatSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    json_schema: z.object({
      name: z.string(),
      description: z.string().nullish(),
      schema: z.record(z.string(), z.unknown()).nullish(),
      strict: z.boolean().nullish(),
    }),
  }),
]);

export const OpenAIChatRequestSchema = z.object({
  model: z.string().min(1, 'expected a model name'),
  messages: z.array(OpenAIMessageSchema).min(1, 'expected at least one message'),
  tools: z.array(OpenAIToolSchema).nullish(),
  tool_choice: OpenAIToolChoiceSchema.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  response_format: OpenAIResponseFormatSchema.nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  /** deprecated by OpenAI in favour of max_completion_tokens; both are still sent by clients */
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
  stop: z.union([z.string(), z.array(z.string())]).nullish(),
  seed: z.number().int().nullish(),
  /** "none", "minimal", "low", "medium", "high": how much a reasoning model thinks first */
  reasoning_effort: z.string().nullish(),
  /** only one choice is supported */
  n: z.number().int().nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().nullish() }).nullish(),
  user: z.string().nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
});

export type OpenAIChatRequest = z.infer<typeof OpenAIChatRequestSchema>;
export type OpenAIChatRequestInput = z.input<typeof OpenAIChatRequestSchema>;
export type OpenAIMessage = z.infer<typeof OpenAIMessageSchema>;
export type OpenAIContentPart = z.infer<typeof OpenAIContentPartSchema>;
export type OpenAIToolCall = z.infer<typeof OpenAIToolCallSchema>;
export type OpenAITool = z.infer<typeof OpenAIToolSchema>;
export type OpenAIToolChoice = z.infer<typeof OpenAIToolChoiceSchema>;
export type OpenAIResponseFormat = z.infer<typeof OpenAIResponseFormatSchema>;
