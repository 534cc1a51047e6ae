// OpenAI Chat Completions request -> core ChatRequest. Leading system/developer messages become
// the system prompt; later ones stay in place as system messages. Tool results get their tool's
// name from the assistant call they answer (Ollama wants it).
import type {
  ChatMessage,
  ChatRequest,
  ContentPart,
  RequestMeta,
  ResponseFormat,
  ToolChoice,
  ToolSpec,
} from '../../core/chat.ts';
import { textOf } from '../../core/chat.ts';
import { AppError } from '../../core/errors/index.ts';
import {
  OpenAIChatRequestSchema,
  type OpenAIChatRequest,
  type OpenAIContentPart,
  type OpenAIMessage,
} from '../../protocol/openai/chat-request.ts';
import { decodeImageUrl } from '../shared/data-url.ts';
import { parseToolArguments } from '../shared/tool-arguments.ts';
import { checkToolSchema } from '../shared/tool-schema.ts';
import { parseWire } from '../shared/parse-wire.ts';

/** Throws AppError('bad_request') naming the field path when the body is not a valid request. */
export function openAIToCore(body: unknown, meta: RequestMeta): ChatRequest {
  const req = parseWire(OpenAIChatRequestSchema, body, 'body');
  if (req.n != null && req.n !== 1)
    throw new AppError('bad_request', 'n: only one choice per request is supported', { path: 'n' });
  const { system, messages } = mapMessages(req.messages);
  const tools = mapTools(req);
  const out: ChatRequest = {
    model: req.model,
    messages,
    stream: req.stream ?? false,
    meta: withUser(meta, req),
  };
  if (system !== undefined) out.system = system;
  if (tools !== undefined) out.tools = tools;
  const toolChoice = mapToolChoice(req, tools);
  if (toolChoice !== undefined) out.toolChoice = toolChoice;
  const format = mapResponseFormat(req);
  if (format !== undefined) out.responseFormat = format;
  if (req.temperature != null) out.temperature = req.temperature;
  if (req.top_p != null) out.topP = req.top_p;
  const maxTokens = req.max_completion_tokens ?? req.max_tokens;
  if (maxTokens != null) out.maxTokens = maxTokens;
  if (req.stop != null) out.stop = typeof req.stop === 'string' ? [req.stop] : req.stop;
  if (req.seed != null) out.seed = req.seed;
  if (req.reasoning_effort != null) out.thinking = req.reasoning_effort !== 'none';
  return out;
}

function withUser(meta: RequestMeta, req: OpenAIChatRequest): RequestMeta {
  const out: RequestMeta = { ...meta, alias: meta.alias ?? req.model };
  // the x-orchestra-agent header (already in meta) wins over the body's `user`
  if (out.agentId === undefined && req.user != null && req.user !== '') out.agentId = req.user;
  return out;
}

function mapMessages(wire: readonly OpenAIMessage[]): { system?: string; messages: ChatMessage[] } {
  const systemTexts: string[] = [];
  const messages: ChatMessage[] = [];
  const toolNames = new Map<string, string>();
  wire.forEach((m, i) => {
    const path = `messages[${i}]`;
    if (m.role === 'system' || m.role === 'developer') {
      const text = textOf(mapContent(m.content, path));
      if (messages.length === 0) systemTexts.push(text);
      else messages.push({ role: 'system', content: [{ type: 'text', text }] });
      return;
    }
    if (m.role === 'user') {
      messages.push({ role: 'user', content: mapContent(m.content, path) });
      return;
    }
    if (m.role === 'tool') {
      const msg: ChatMessage = {
        role: 'tool',
        content: mapContent(m.content, path),
        toolCallId: m.tool_call_id,
      };
      const name = toolNames.get(m.tool_call_id);
      if (name !== undefined) msg.toolName = name;
      messages.push(msg);
      return;
    }
    const content: ContentPart[] = [];
    if (m.reasoning_content) content.push({ type: 'thinking', text: m.reasoning_content });
    if (m.content != null && m.content !== '') content.push(...mapContent(m.content, path));
    const msg: ChatMessage = { role: 'assistant', content };
    if (m.tool_calls && m.tool_calls.length > 0) {
      msg.toolCalls = m.tool_calls.map((c, j) => {
        toolNames.set(c.id, c.function.name);
        const args = parseToolArguments(c.function.arguments, `${path}.tool_calls[${j}].function.arguments`);
        return { id: c.id, name: c.function.name, arguments: args };
      });
    }
    messages.push(msg);
  });
  return systemTexts.length > 0 ? { system: systemTexts.join('\n\n'), messages } : { messages };
}

function mapContent(content: string | OpenAIContentPart[], path: string): ContentPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return content.map((part, i): ContentPart => {
    const at = `${path}.content[${i}]`;
    switch (part.type) {
      case 'text':
        return { type: 'text', text: part.text };
      case 'image_url': {
        const { mediaType, data } = decodeImageUrl(part.image_url.url, `${at}.image_url.url`);
        return { type: 'image', mediaType, data };
      }
      case 'refusal':
        return { type: 'text', text: part.refusal ?? '' };
      default:
        // audio and files: a local chat model cannot read them; say so in the prompt, not silently
        return { type: 'text', text: `[${part.type} omitted: not supported by this gateway]` };
    }
  });
}

function mapTools(req: OpenAIChatRequest): ToolSpec[] | undefined {
  if (!req.tools || req.tools.length === 0) return undefined;
  return req.tools.map((t, i) => {
    const path = `tools[${i}].function.parameters`;
    const parameters = checkToolSchema(t.function.parameters ?? { properties: {} }, path, t.function.name);
    const spec: ToolSpec = { name: t.function.name, parameters };
    if (t.function.description != null) spec.description = t.function.description;
    return spec;
  });
}

function mapToolChoice(req: OpenAIChatRequest, tools: ToolSpec[] | undefined): ToolChoice | undefined {
  const choice = req.tool_choice;
  if (choice == null) return undefined;
  if (typeof choice === 'string') return choice;
  const name = choice.function.name;
  if (!tools?.some((t) => t.name === name))
    throw new AppError('bad_request', `tool_choice.function.name: no tool named "${name}" in tools`, {
      path: 'tool_choice.function.name',
    });
  return { name };
}

function mapResponseFormat(req: OpenAIChatRequest): ResponseFormat | undefined {
  const f = req.response_format;
  if (f == null) return undefined;
  if (f.type === 'text') return { type: 'text' };
  if (f.type === 'json_object') return { type: 'json' };
  const schema = f.json_schema.schema;
  if (schema == null) return { type: 'json' };
  return { type: 'json_schema', name: f.json_schema.name, schema };
}
