// Streaming events of the Messages API, in Anthropic's order: message_start, then per content
// block content_block_start / content_block_delta* / content_block_stop, then message_delta
// (stop_reason, cumulative usage) and message_stop. ping may come anywhere; error ends a stream.
// Each is sent as an SSE frame whose `event:` equals the payload's `type`.
import { z } from 'zod';
import { AnthropicErrorBodySchema } from './error.ts';
import {
  AnthropicMessageSchema,
  AnthropicResponseBlockSchema,
  AnthropicStopReasonSchema,
} from './messages-response.ts';

export const AnthropicMessageStartEventSchema = z.looseObject({
  type: z.literal('message_start'),
  message: AnthropicMessageSchema,
});

export const AnthropicContentBlockStartEventSchema = z.looseObject({
  type: z.literal('content_block_start'),
  index: z.number().int().nonnegative(),
  content_block: AnthropicResponseBlockSchema,
});

export const AnthropicDeltaSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('text_delta'), text: z.string() }),
  z.looseObject({ type: z.literal('input_json_delta'), partial_json: z.string() }),
  z.looseObject({ type: z.literal('thinking_delta'), thinking: z.string() }),
  z.looseObject({ type: z.literal('signature_delta'), signature: z.string() }),
  z.looseObject({ type: z.literal('citations_delta'), citation: z.unknown() }),
]);

export const AnthropicContentBlockDeltaEventSchema = z.looseObject({
  type: z.literal('content_block_delta'),
  index: z.number().int().nonnegative(),
  delta: AnthropicDeltaSchema,
});

export const AnthropicContentBlockStopEventSchema = z.looseObject({
  type: z.literal('content_block_stop'),
  index: z.number().int().nonnegative(),
});

export const AnthropicMessageDeltaEventSchema = z.looseObject({
  type: z.literal('message_delta'),
  delta: z.looseObject({
    stop_reason: AnthropicStopReasonSchema.nullable(),
    stop_sequence: z.string().nullable(),
  }),
  /** cumulative totals; output_tokens always present */
  usage: z.looseObject({
    output_tokens: z.number().int().nonnegative(),
    input_tokens: z.number().int().nonnegative().nullish(),
  }),
});

export const AnthropicMessageStopEventSchema = z.looseObject({ type: z.literal('message_stop') });
export const AnthropicPingEventSchema = z.looseObject({ type: z.literal('ping') });

export const AnthropicStreamEventSchema = z.discriminatedUnion('type', [
  AnthropicMessageStartEventSchema,
  AnthropicContentBlockStartEventSchema,
  AnthropicContentBlockDeltaEventSchema,
  AnthropicContentBlockStopEventSchema,
  AnthropicMessageDeltaEventSchema,
  AnthropicMessageStopEventSchema,
  AnthropicPingEventSchema,
  AnthropicErrorBodySchema,
]);

export type AnthropicDelta = z.infer<typeof AnthropicDeltaSchema>;
export type AnthropicMessageStartEvent = z.infer<typeof AnthropicMessageStartEventSchema>;
export type AnthropicContentBlockStartEvent = z.infer<typeof AnthropicContentBlockStartEventSchema>;
export type AnthropicContentBlockDeltaEvent = z.infer<typeof AnthropicContentBlockDeltaEventSchema>;
export type AnthropicMessageDeltaEvent = z.infer<typeof AnthropicMessageDeltaEventSchema>;
export type AnthropicStreamEvent = z.infer<typeof AnthropicStreamEventSchema>;
