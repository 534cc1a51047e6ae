// The prompt as the model sees it: Ollama's chat truncation when the messages exceed num_ctx
// (drop the oldest messages, keeping system messages and the last one), and the prompt as
// cacheable parts (tool definitions, then each message; about 4 characters per token).
import type { PromptPart } from './prompt-cache.ts';
import { hashText } from './responders/default-responder.ts';
import type { ResponderToolCall } from './responders/responder.ts';
import { textTokens as estimateTokens } from '../translate/shared/estimate-tokens.ts';

/** a message of the prompt; tool calls of assistant messages count for size and cache identity */
export interface PromptMessage {
  role: string;
  content: string;
  toolCalls?: ResponderToolCall[];
}

export interface WindowedPrompt {
  /** the messages that fit, in order */
  messages: PromptMessage[];
  parts: PromptPart[];
  /** prompt tokens the model evaluates at most (never above num_ctx) */
  promptTokens: number;
  /** messages dropped to fit */
  dropped: number;
}

export function fitToContext(
  messages: readonly PromptMessage[],
  toolsText: string | undefined,
  numCtx: number,
): WindowedPrompt {
  if (messages.length === 0) return { messages: [], parts: [], promptTokens: 0, dropped: 0 };
  const tools: PromptPart[] = toolsText
    ? [{ key: `tools:${hashText(toolsText)}`, tokens: estimateTokens(toolsText) }]
    : [];
  const kept = messages.map((m) => ({ m, part: { key: messageKey(m), tokens: tokensOf(m) } }));
  let total = [...tools, ...kept.map((k) => k.part)].reduce((n, p) => n + p.tokens, 0);
  let dropped = 0;
  for (let i = 0; total > numCtx && i < kept.length - 1;) {
    if (kept[i]!.m.role === 'system') {
      i++;
      continue;
    }
    total -= kept[i]!.part.tokens;
    kept.splice(i, 1);
    dropped++;
  }
  return {
    messages: kept.map((k) => k.m),
    parts: [...tools, ...kept.map((k) => k.part)],
    promptTokens: Math.min(total, numCtx),
    dropped,
  };
}

/** identity of a message as it comes back in the next prompt (tool call ids and field order ignored) */
export function messageKey(m: PromptMessage): string {
  const calls = (m.toolCalls ?? []).map((c) => [c.name, c.arguments]);
  return `${m.role}:${hashText(m.content)}:${hashText(JSON.stringify(calls))}:${m.content.length}`;
}

export function callsText(calls: readonly ResponderToolCall[] | undefined): string {
  return calls && calls.length > 0 ? JSON.stringify(calls) : '';
}

function tokensOf(m: PromptMessage): number {
  return Math.max(1, estimateTokens(m.content + callsText(m.toolCalls)) + 1);
}
