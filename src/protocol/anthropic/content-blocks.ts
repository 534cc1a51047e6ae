// Content blocks of Anthropic Messages. Block types this gateway does not know (server tool results,
// search results, containers... Anthropic adds new ones often) parse as `unsupported` instead of
// failing the request, so the mapper can drop them cleanly.
import { z } from 'zod';

const cacheControl = z.looseObject({ type: z.string() }).nullish();

export const AnthropicTextBlockSchema = z.object({
  type: z.literal('text'),
  text: z.string(),
  cache_control: cacheControl,
});

export const AnthropicImageSourceSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('base64'), media_type: z.string(), data: z.string() }),
  z.object({ type: z.literal('url'), url: z.string() }),
  z.object({ type: z.literal('file'), file_id: z.string() }),
]);

export const AnthropicImageBlockSchema = z.object({
  type: z.literal('image'),
  source: AnthropicImageSourceSchema,
  cache_control: cacheControl,
});

export const AnthropicDocumentBlockSchema = z.object({
  type: z.literal('document'),
  /** base64 PDF, plain text, content blocks, a URL or a file: kept loose, mapped as far as we can */
  source: z.looseObject({
    type: z.string(),
    media_type: z.string().optional(),
    data: z.string().optional(),
    url: z.string().optional(),
    content: z.unknown().optional(),
  }),
  title: z.string().nullish(),
  context: z.string().nullish(),
  cache_control: cacheControl,
});

export const AnthropicToolUseBlockSchema = z.object({
  type: z.literal('tool_use'),
  id: z.string(),
  name: z.string(),
  input: z.record(z.string(), z.unknown()),
  cache_control: cacheControl,
});

export const AnthropicThinkingBlockSchema = z.object({
  type: z.literal('thinking'),
  thinking: z.string(),
  signature: z.string().optional(),
});

export const AnthropicRedactedThinkingBlockSchema = z.object({
  type: z.literal('redacted_thinking'),
  data: z.string(),
});

export const AnthropicUnsupportedBlockSchema = z.object({
  type: z.literal('unsupported'),
  original_type: z.string(),
});

function tolerant<T extends z.ZodType>(known: ReadonlySet<string>, schema: T) {
  return z.preprocess((v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
    const type = (v as { type?: unknown }).type;
    if (typeof type !== 'string' || known.has(type)) return v;
    return { type: 'unsupported', original_type: type };
  }, schema);
}

const toolResultInner = z.discriminatedUnion('type', [
  AnthropicTextBlockSchema,
  AnthropicImageBlockSchema,
  AnthropicDocumentBlockSchema,
  AnthropicUnsupportedBlockSchema,
]);

export const AnthropicToolResultContentSchema = tolerant(
  new Set(['text', 'image', 'document', 'unsupported']),
  toolResultInner,
);

export const AnthropicToolResultBlockSchema = z.object({
  type: z.literal('tool_result'),
  tool_use_id: z.string(),
  content: z.union([z.string(), z.array(AnthropicToolResultContentSchema)]).optional(),
  is_error: z.boolean().nullish(),
  cache_control: cacheControl,
});

const blockUnion = z.discriminatedUnion('type', [
  AnthropicTextBlockSchema,
  AnthropicImageBlockSchema,
  AnthropicDocumentBlockSchema,
  AnthropicToolUseBlockSchema,
  AnthropicToolResultBlockSchema,
  AnthropicThinkingBlockSchema,
  AnthropicRedactedThinkingBlockSchema,
  AnthropicUnsupportedBlockSchema,
]);

export const AnthropicContentBlockSchema = tolerant(
  new Set([
    'text',
    'image',
    'document',
    'tool_use',
    'tool_result',
    'thinking',
    'redacted_thinking',
    'unsupported',
  ]),
  blockUnion,
);

export type AnthropicTextBlock = z.infer<typeof AnthropicTextBlockSchema>;
export type AnthropicImageBlock = z.infer<typeof AnthropicImageBlockSchema>;
export type AnthropicDocumentBlock = z.infer<typeof AnthropicDocumentBlockSchema>;
export type AnthropicToolUseBlock = z.infer<typeof AnthropicToolUseBlockSchema>;
export type AnthropicToolResultBlock = z.infer<typeof AnthropicToolResultBlockSchema>;
export type AnthropicToolResultContent = z.infer<typeof toolResultInner>;
export type AnthropicThinkingBlock = z.infer<typeof AnthropicThinkingBlockSchema>;
export type AnthropicContentBlock = z.infer<typeof blockUnion>;
