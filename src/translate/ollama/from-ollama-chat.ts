// Ollama /api/chat request -> core ChatRequest, for the gateway's Ollama-compatible face. Pure.
// Ollama's tool messages carry no call id, so results are paired with the calls of the assistant
// message before them (by tool_name when given, else in order), and ids are generated: a cloud
// fallback (Anthropic) needs every tool result to name its call.
import type {
  ChatMessage,
  ChatRequest,
  ContentPart,
  RequestMeta,
  ResponseFormat,
  ToolCall,
  ToolSpec,
} from '../../core/chat.ts';
import type { IdGenerator } from '../../lib/ids.ts';
import type { OllamaChatRequest, OllamaMessage, OllamaTool } from '../../protocol/ollama/index.ts';

export interface FromOllamaChatResult {
  request: ChatRequest;
  /** fields the gateway does not honour (num_ctx and keep_alive belong to the fleet config and the scheduler) */
  notes: string[];
}

export function fromOllamaChatRequest(
  wire: OllamaChatRequest,
  meta: RequestMeta,
  ids: IdGenerator,
): FromOllamaChatResult {
  const notes: string[] = [];
  const all = wire.messages ?? [];
  let lead = 0;
  while (lead < all.length && all[lead]!.role === 'system') lead++;
  const system = all
    .slice(0, lead)
    .map((m) => m.content)
    .filter((t) => t !== '')
    .join('\n\n');
  const request: ChatRequest = {
    model: wire.model,
    messages: toCoreMessages(all.slice(lead), ids),
    stream: wire.stream ?? true,
    meta,
  };
  if (system !== '') request.system = system;
  if (wire.tools !== undefined && wire.tools.length > 0) request.tools = wire.tools.map(toToolSpec);
  const format = ollamaResponseFormat(wire.format);
  if (format !== undefined) request.responseFormat = format;
  applyOllamaOptions(request, wire.options ?? {});
  if (wire.think !== undefined) request.thinking = wire.think !== false;
  if (wire.options?.num_ctx !== undefined)
    notes.push("options.num_ctx ignored: the fleet config sets each model's context");
  if (wire.keep_alive !== undefined)
    notes.push('keep_alive ignored: the scheduler decides when models unload');
  return { request, notes };
}

/** Ollama's sampling options onto a core request (shared with /api/generate) */
export function applyOllamaOptions(r: ChatRequest, o: NonNullable<OllamaChatRequest['options']>): void {
  if (o.temperature !== undefined) r.temperature = o.temperature;
  if (o.top_p !== undefined) r.topP = o.top_p;
  if (o.top_k !== undefined) r.topK = o.top_k;
  if (o.seed !== undefined) r.seed = o.seed;
  // num_predict -1 (or -2) means "no limit" in Ollama
  if (o.num_predict !== undefined && o.num_predict > 0) r.maxTokens = o.num_predict;
  if (o.stop !== undefined && o.stop.length > 0) r.stop = [...o.stop];
}

function toToolSpec(t: OllamaTool): ToolSpec {
  const spec: ToolSpec = {
    name: t.function.name,
    parameters: t.function.parameters ?? { type: 'object', properties: {} },
  };
  if (t.function.description !== undefined) spec.description = t.function.description;
  return spec;
}

/** Ollama's `format` ("json" or a JSON schema) as a core response format */
export function ollamaResponseFormat(f: OllamaChatRequest['format']): ResponseFormat | undefined {
  if (f === undefined || f === '') return undefined;
  return f === 'json' ? { type: 'json' } : { type: 'json_schema', schema: f };
}

function toCoreMessages(messages: readonly OllamaMessage[], ids: IdGenerator): ChatMessage[] {
  let pending: ToolCall[] = [];
  return messages.map((m) => {
    const content = contentOf(m);
    if (m.role === 'assistant') {
      const calls = (m.tool_calls ?? []).map((c): ToolCall => ({
        id: c.id ?? ids('call'),
        name: c.function.name,
        arguments: c.function.arguments,
      }));
      pending = [...calls];
      return calls.length > 0
        ? { role: 'assistant', content, toolCalls: calls }
        : { role: 'assistant', content };
    }
    if (m.role === 'tool') {
      const at = m.tool_name === undefined ? 0 : pending.findIndex((c) => c.name === m.tool_name);
      const call = at >= 0 ? pending[at] : undefined;
      if (call !== undefined) pending.splice(at, 1);
      const out: ChatMessage = { role: 'tool', content, toolCallId: call?.id ?? ids('call') };
      const name = m.tool_name ?? call?.name;
      if (name !== undefined) out.toolName = name;
      return out;
    }
    return { role: m.role, content };
  });
}

function contentOf(m: OllamaMessage): ContentPart[] {
  const parts: ContentPart[] = [];
  if (m.role === 'assistant' && m.thinking !== undefined && m.thinking !== '')
    parts.push({ type: 'thinking', text: m.thinking });
  if (m.content !== '') parts.push({ type: 'text', text: m.content });
  for (const data of m.images ?? []) parts.push({ type: 'image', mediaType: imageMediaType(data), data });
  return parts;
}

/** Ollama sends bare base64; the media type is read from the first bytes (PNG, JPEG, GIF, WebP). */
export function imageMediaType(base64: string): string {
  if (base64.startsWith('iVBORw0KGgo')) return 'image/png';
  if (base64.startsWith('/9j/')) return 'image/jpeg';
  if (base64.startsWith('R0lGOD')) return 'image/gif';
  if (base64.startsWith('UklGR')) return 'image/webp';
  return 'image/png';
}
