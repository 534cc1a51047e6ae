// The gateway's Ollama face, inbound: an Ollama /api/chat body -> core ChatRequest. (src/translate/
// ollama maps the other way, core -> Ollama, for the backend.) Ollama tool results carry no call
// id, so each is linked to the latest unanswered call of the same tool name.
import type { ChatMessage, ChatRequest, ContentPart, RequestMeta, ToolCall } from '../core/chat.ts';
import {
  OllamaChatRequestSchema,
  type OllamaChatRequest,
  type OllamaMessage,
} from '../protocol/ollama/index.ts';
import { checkToolSchema } from '../translate/shared/tool-schema.ts';
import { parseWire } from '../translate/shared/parse-wire.ts';

const MAGIC: ReadonlyArray<[string, string]> = [
  ['/9j/', 'image/jpeg'],
  ['iVBOR', 'image/png'],
  ['R0lG', 'image/gif'],
  ['UklG', 'image/webp'],
];

const mediaTypeOf = (b64: string): string => MAGIC.find(([p]) => b64.startsWith(p))?.[1] ?? 'image/png';

export function parseOllamaChat(body: unknown): OllamaChatRequest {
  return parseWire(OllamaChatRequestSchema, body, 'body');
}

export function ollamaChatToCore(req: OllamaChatRequest, meta: RequestMeta): ChatRequest {
  const system: string[] = [];
  const messages: ChatMessage[] = [];
  const pending: ToolCall[] = [];
  (req.messages ?? []).forEach((m, i) => {
    if (m.role === 'system') system.push(m.content);
    else messages.push(toCoreMessage(m, i, pending));
  });
  const out: ChatRequest = { model: req.model, messages, stream: req.stream ?? true, meta };
  if (system.length > 0) out.system = system.join('\n\n');
  if (req.tools && req.tools.length > 0)
    out.tools = req.tools.map((t, i) => ({
      name: t.function.name,
      ...(t.function.description === undefined ? {} : { description: t.function.description }),
      parameters: checkToolSchema(
        t.function.parameters ?? { type: 'object' },
        `tools[${i}].function.parameters`,
        t.function.name,
      ),
    }));
  if (req.format === 'json') out.responseFormat = { type: 'json' };
  else if (req.format && typeof req.format === 'object')
    out.responseFormat = { type: 'json_schema', schema: req.format };
  const o = req.options;
  if (o?.temperature !== undefined) out.temperature = o.temperature;
  if (o?.top_p !== undefined) out.topP = o.top_p;
  if (o?.top_k !== undefined) out.topK = o.top_k;
  if (o?.seed !== undefined) out.seed = o.seed;
  if (o?.stop && o.stop.length > 0) out.stop = o.stop;
  if (o?.num_predict !== undefined && o.num_predict > 0) out.maxTokens = o.num_predict;
  return out;
}

function toCoreMessage(m: OllamaMessage, i: number, pending: ToolCall[]): ChatMessage {
  const content: ContentPart[] = [];
  if (m.thinking) content.push({ type: 'thinking', text: m.thinking });
  if (m.content !== '') content.push({ type: 'text', text: m.content });
  for (const img of m.images ?? []) content.push({ type: 'image', mediaType: mediaTypeOf(img), data: img });
  const out: ChatMessage = { role: m.role, content };
  if (m.role === 'assistant' && m.tool_calls && m.tool_calls.length > 0) {
    out.toolCalls = m.tool_calls.map((c, j) => ({
      id: c.id ?? `call_${i}_${j}`,
      name: c.function.name,
      arguments: c.function.arguments,
    }));
    pending.push(...out.toolCalls);
  }
  if (m.role === 'tool') {
    const at = pending.findIndex((c) => m.tool_name === undefined || c.name === m.tool_name);
    const call = at >= 0 ? pending.splice(at, 1)[0] : undefined;
    out.toolCallId = call?.id ?? `call_${i}`;
    const name = m.tool_name ?? call?.name;
    if (name !== undefined) out.toolName = name;
  }
  return out;
}
