// Anthropic content blocks -> core parts. Blocks a local model cannot use are dropped with a short
// text note when they carried user-visible content (documents), silently when they did not.
import type { ContentPart } from '../../core/chat.ts';
import { AppError } from '../../core/errors/index.ts';
import type {
  AnthropicDocumentBlock,
  AnthropicImageBlock,
  AnthropicToolResultContent,
} from '../../protocol/anthropic/content-blocks.ts';

export function imagePart(block: AnthropicImageBlock, path: string): ContentPart {
  const src = block.source;
  if (src.type === 'base64') return { type: 'image', mediaType: src.media_type, data: src.data };
  const what =
    src.type === 'url' ? 'image URLs are not fetched by the gateway' : 'Files API images are not supported';
  throw new AppError('bad_request', `${path}.source: ${what}; send the image as a base64 source`, {
    path: `${path}.source`,
  });
}

/** Plain-text documents become text; PDFs, URLs and files become a note that they were left out. */
export function documentPart(block: AnthropicDocumentBlock): ContentPart {
  const src = block.source;
  const title = block.title ? ` "${block.title}"` : '';
  if (src.type === 'text' && src.data !== undefined)
    return { type: 'text', text: block.title ? `${block.title}\n\n${src.data}` : src.data };
  if (src.type === 'content' && typeof src.content === 'string') return { type: 'text', text: src.content };
  if (src.type === 'content' && Array.isArray(src.content)) {
    const texts = src.content.flatMap((b: unknown) => (isTextBlock(b) ? [b.text] : []));
    return { type: 'text', text: texts.join('\n') };
  }
  const kind = src.media_type ?? src.type;
  return { type: 'text', text: `[document${title} (${kind}) omitted: not readable by this model]` };
}

function isTextBlock(b: unknown): b is { type: 'text'; text: string } {
  return (
    typeof b === 'object' &&
    b !== null &&
    (b as { type?: unknown }).type === 'text' &&
    typeof (b as { text?: unknown }).text === 'string'
  );
}

export function toolResultParts(
  content: string | AnthropicToolResultContent[] | undefined,
  path: string,
): ContentPart[] {
  if (content === undefined) return [];
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return content.flatMap((b, i): ContentPart[] => {
    if (b.type === 'text') return [{ type: 'text', text: b.text }];
    if (b.type === 'image') return [imagePart(b, `${path}[${i}]`)];
    if (b.type === 'document') return [documentPart(b)];
    return [];
  });
}
