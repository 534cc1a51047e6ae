// Chat Completions response (non-streamed) and stream chunk. Loose objects: when we read a cloud
// provider's answer, fields we do not know are kept, not rejected.
import { z } from 'zod';

export const OpenAIFinishReasonSchema = z.enum([
  'stop',
  'length',
  'tool_calls',
  'content_filter',
  'function_call',
]);

const responseToolCall = z.looseObject({
  id: z.string(),
  type: z.literal('function'),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});

export const OpenAIUsageSchema = z.looseObject({
  prompt_tokens: z.number().int().nonnegative(),
  completion_tokens: z.number().int().nonnegative(),
  total_tokens: z.number().int().nonnegative(),
});

export const OpenAIChatResponseSchema = z.looseObject({
  id: z.string(),
  object: z.literal('chat.completion'),
  /** Unix seconds */
  created: z.number().int(),
  model: z.string(),
  choices: z.array(
    z.looseObject({
      index: z.number().int(),
      message: z.looseObject({
        role: z.literal('assistant'),
        content: z.string().nullable(),
        /** reasoning text, as DeepSeek/vLLM-style OpenAI-compatible servers return it */
        reasoning_content: z.string().nullish(),
        refusal: z.string().nullish(),
        tool_calls: z.array(responseToolCall).nullish(),
      }),
      finish_reason: OpenAIFinishReasonSchema.nullable(),
      logprobs: z.null().optional(),
    }),
  ),
  usage: OpenAIUsageSchema.optional(),
  system_fingerprint: z.string().nullish(),
});

/** A tool call fragment in a chunk: the first fragment of a call carries id and name. */
export const OpenAIToolCallDeltaSchema = z.looseObject({
  index: z.number().int().nonnegative(),
  id: z.string().nullish(),
  type: z.literal('function').nullish(),
  function: z.looseObject({ name: z.string().nullish(), arguments: z.string().nullish() }).nullish(),
});

export const OpenAIChatChunkSchema = z.looseObject({
  id: z.string(),
  object: z.literal('chat.completion.chunk'),
  created: z.number().int(),
  model: z.string(),
  choices: z.array(
    z.looseObject({
      index: z.number().int(),
      delta: z.looseObject({
        role: z.literal('assistant').nullish(),
        content: z.string().nullish(),
        reasoning_content: z.string().nullish(),
        /** the field name Ollama's and OpenRouter's OpenAI-compatible APIs use for reasoning */
        reasoning: z.string().nullish(),
        refusal: z.string().nullish(),
        tool_calls: z.array(OpenAIToolCallDeltaSchema).nullish(),
      }),
      finish_reason: OpenAIFinishReasonSchema.nullish(),
      logprobs: z.null().optional(),
    }),
  ),
  /** present on the last chunk (empty choices) when stream_options.include_usage is set */
  usage: OpenAIUsageSchema.nullish(),
  system_fingerprint: z.string().nullish(),
});

export type OpenAIFinishReason = z.infer<typeof OpenAIFinishReasonSchema>;
export type OpenAIUsage = z.infer<typeof OpenAIUsageSchema>;
export type OpenAIChatResponse = z.infer<typeof OpenAIChatResponseSchema>;
export type OpenAIChatChunk = z.infer<typeof OpenAIChatChunkSchema>;
export type OpenAIToolCallDelta = z.infer<typeof OpenAIToolCallDeltaSchema>;
