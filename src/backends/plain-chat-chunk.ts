// A cheap structural check for the chunks of a streamed /api/chat: one per token, where running the
// zod schema cost more than the rest of a token's way through the gateway. A chunk passes only when
// the schema would accept it unchanged (no default to fill, no field to coerce), so returning it
// as is equals parsing it; anything else (the final chunk with its metrics, tool calls, images, an
// error line, a malformed chunk) goes through the full schema.
import type { OllamaChatResponse } from '../protocol/ollama/index.ts';

const ROLES: ReadonlySet<unknown> = new Set(['system', 'user', 'assistant', 'tool']);

const optionalString = (v: unknown): boolean => v === undefined || typeof v === 'string';

/** true when `value` is a non-final chat chunk carrying only text or thinking */
export function isPlainChatChunk(value: unknown): value is OllamaChatResponse {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (v.done !== false || typeof v.model !== 'string' || typeof v.created_at !== 'string') return false;
  // metrics and done_reason belong to the final chunk: validated there by the schema
  if (
    v.done_reason !== undefined ||
    v.total_duration !== undefined ||
    v.load_duration !== undefined ||
    v.prompt_eval_count !== undefined ||
    v.prompt_eval_duration !== undefined ||
    v.eval_count !== undefined ||
    v.eval_duration !== undefined
  )
    return false;
  const m = v.message;
  if (typeof m !== 'object' || m === null) return false;
  const msg = m as Record<string, unknown>;
  return (
    ROLES.has(msg.role) &&
    typeof msg.content === 'string' &&
    optionalString(msg.thinking) &&
    optionalString(msg.tool_name) &&
    msg.tool_calls == null &&
    msg.images == null
  );
}
