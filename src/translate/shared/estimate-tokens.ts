// An ESTIMATE of a request's prompt tokens, for count_tokens and the pre-call context check, without
// a tokenizer: about 4 characters per token for text (English and code average 3.5-4.5 across
// Llama/Qwen/Claude tokenizers), plus fixed costs for structure. Real counts come from the backend.
import type { ChatMessage, ChatRequest, ContentPart, ToolSpec } from '../../core/chat.ts';

export const CHARS_PER_TOKEN = 4;
/** an image as vision models bill it: Anthropic caps near 1600 tokens per image, LLaVA uses 576+ */
export const TOKENS_PER_IMAGE = 1600;
/** role markers and separators of a chat template */
export const TOKENS_PER_MESSAGE = 4;
/** the tool-use preamble the chat template adds per tool, beside the schema text itself */
export const TOKENS_PER_TOOL = 20;

export function estimateTokens(request: Pick<ChatRequest, 'system' | 'messages' | 'tools'>): number {
  let tokens = request.system ? textTokens(request.system) + TOKENS_PER_MESSAGE : 0;
  for (const m of request.messages) tokens += messageTokens(m);
  for (const t of request.tools ?? []) tokens += toolTokens(t);
  return tokens;
}

export function textTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

function messageTokens(m: ChatMessage): number {
  let tokens = TOKENS_PER_MESSAGE;
  for (const p of m.content) tokens += partTokens(p);
  for (const c of m.toolCalls ?? []) tokens += textTokens(c.name) + textTokens(JSON.stringify(c.arguments));
  return tokens;
}

function partTokens(p: ContentPart): number {
  return p.type === 'image' ? TOKENS_PER_IMAGE : textTokens(p.text);
}

function toolTokens(t: ToolSpec): number {
  return (
    TOKENS_PER_TOOL +
    textTokens(t.name) +
    textTokens(t.description ?? '') +
    textTokens(JSON.stringify(t.parameters))
  );
}
