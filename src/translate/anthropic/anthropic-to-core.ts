// Anthropic Messages request -> core ChatRequest. tool_result blocks become core tool messages (in
// place, before the rest of their user turn); assistant tool_use blocks become toolCalls; system
// blocks are joined; metadata.user_id is the agent's identity. Server tools are dropped.
import type {
  ChatMessage,
  ChatRequest,
  ContentPart,
  RequestMeta,
  ToolChoice,
  ToolSpec,
} from '../../core/chat.ts';
import { AppError } from '../../core/errors/index.ts';
import type { AnthropicContentBlock } from '../../protocol/anthropic/content-blocks.ts';
import {
  AnthropicCountTokensRequestSchema,
  AnthropicMessagesRequestSchema,
  type AnthropicCountTokensRequest,
  type AnthropicMessageParam,
} from '../../protocol/anthropic/messages-request.ts';
import { parseAgentIdentity } from '../shared/agent-identity.ts';
import { checkToolSchema } from '../shared/tool-schema.ts';
import { parseWire } from '../shared/parse-wire.ts';
import { documentPart, imagePart, toolResultParts } from './anthropic-content.ts';

/** Throws AppError('bad_request') naming the field path when the body is not a valid request. */
export function anthropicToCore(body: unknown, meta: RequestMeta): ChatRequest {
  const req = parseWire(AnthropicMessagesRequestSchema, body, 'body');
  const out = baseRequest(req, withIdentity(meta, req.model, req.metadata?.user_id));
  // an empty conversation would reach Ollama as a load request: an empty answer after a swap
  if (out.messages.length === 0)
    throw new AppError('bad_request', 'messages: expected at least one message', { path: 'messages' });
  out.stream = req.stream ?? false;
  out.maxTokens = req.max_tokens;
  if (req.stop_sequences && req.stop_sequences.length > 0) out.stop = req.stop_sequences;
  if (req.temperature !== undefined) out.temperature = req.temperature;
  if (req.top_p !== undefined) out.topP = req.top_p;
  if (req.top_k !== undefined) out.topK = req.top_k;
  if (req.thinking !== undefined) out.thinking = req.thinking.type !== 'disabled';
  return out;
}

/** The body of /v1/messages/count_tokens (no max_tokens) -> a core request to estimate. */
export function anthropicCountTokensToCore(body: unknown, meta: RequestMeta): ChatRequest {
  const req = parseWire(AnthropicCountTokensRequestSchema, body, 'body');
  return baseRequest(req, withIdentity(meta, req.model, undefined));
}

function baseRequest(req: AnthropicCountTokensRequest, meta: RequestMeta): ChatRequest {
  const out: ChatRequest = { model: req.model, messages: mapMessages(req.messages), stream: false, meta };
  const system = typeof req.system === 'string' ? req.system : req.system?.map((b) => b.text).join('\n\n');
  if (system !== undefined && system !== '') out.system = system;
  const tools = mapTools(req);
  if (tools.length > 0) out.tools = tools;
  const choice = mapToolChoice(req, tools);
  if (choice !== undefined) out.toolChoice = choice;
  const schema = req.output_config?.format?.schema;
  if (schema != null) out.responseFormat = { type: 'json_schema', schema };
  return out;
}

function withIdentity(meta: RequestMeta, model: string, userId: string | null | undefined): RequestMeta {
  const out: RequestMeta = { ...meta, alias: meta.alias ?? model };
  const identity = userId ? parseAgentIdentity(userId) : undefined;
  // the x-orchestra-agent header (already in meta) wins over metadata.user_id
  if (identity && out.agentId === undefined) out.agentId = identity.agentId;
  if (identity?.sessionId !== undefined && out.sessionId === undefined) out.sessionId = identity.sessionId;
  return out;
}

function mapMessages(wire: readonly AnthropicMessageParam[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  const toolNames = new Map<string, string>();
  wire.forEach((m, i) => {
    const path = `messages[${i}].content`;
    if (typeof m.content === 'string') {
      out.push({ role: m.role, content: [{ type: 'text', text: m.content }] });
      return;
    }
    if (m.role === 'assistant') out.push(assistantMessage(m.content, toolNames));
    else if (m.role === 'system') out.push(systemMessage(m.content, path));
    else out.push(...userMessages(m.content, path, toolNames));
  });
  return out;
}

function assistantMessage(
  blocks: readonly AnthropicContentBlock[],
  toolNames: Map<string, string>,
): ChatMessage {
  const content: ContentPart[] = [];
  const msg: ChatMessage = { role: 'assistant', content };
  for (const b of blocks) {
    if (b.type === 'text') content.push({ type: 'text', text: b.text });
    else if (b.type === 'thinking') {
      const part: ContentPart = { type: 'thinking', text: b.thinking };
      if (b.signature) part.signature = b.signature;
      content.push(part);
    } else if (b.type === 'tool_use') {
      toolNames.set(b.id, b.name);
      (msg.toolCalls ??= []).push({ id: b.id, name: b.name, arguments: b.input });
    }
    // redacted_thinking (encrypted, only Anthropic can read it) and server blocks are dropped
  }
  return msg;
}

function systemMessage(blocks: readonly AnthropicContentBlock[], path: string): ChatMessage {
  const text = blocks.map((b, j) => {
    if (b.type === 'text') return b.text;
    throw new AppError('bad_request', `${path}[${j}]: system messages take text blocks only`, {
      path: `${path}[${j}]`,
    });
  });
  return { role: 'system', content: [{ type: 'text', text: text.join('\n\n') }] };
}

/** One user turn: each tool_result is a tool message; runs of other blocks are user messages. */
function userMessages(
  blocks: readonly AnthropicContentBlock[],
  path: string,
  toolNames: Map<string, string>,
): ChatMessage[] {
  const out: ChatMessage[] = [];
  let run: ContentPart[] = [];
  const flush = (): void => {
    if (run.length > 0) out.push({ role: 'user', content: run });
    run = [];
  };
  blocks.forEach((b, j) => {
    const at = `${path}[${j}]`;
    if (b.type === 'tool_result') {
      flush();
      const msg: ChatMessage = {
        role: 'tool',
        content: toolResultParts(b.content, `${at}.content`),
        toolCallId: b.tool_use_id,
      };
      const name = toolNames.get(b.tool_use_id);
      if (name !== undefined) msg.toolName = name;
      if (b.is_error) msg.isError = true;
      out.push(msg);
    } else if (b.type === 'text') run.push({ type: 'text', text: b.text });
    else if (b.type === 'image') run.push(imagePart(b, at));
    else if (b.type === 'document') run.push(documentPart(b));
    else if (b.type === 'tool_use')
      throw new AppError('bad_request', `${at}: tool_use blocks belong in assistant messages`, { path: at });
  });
  flush();
  return out;
}

function mapTools(req: AnthropicCountTokensRequest): ToolSpec[] {
  const out: ToolSpec[] = [];
  (req.tools ?? []).forEach((t, i) => {
    // versioned server tools (web_search_20250305, computer_20250124, bash_..., text_editor_...)
    // run on Anthropic's side; a local model cannot execute them
    if (t.type != null && t.type !== 'custom') return;
    const parameters = checkToolSchema(t.input_schema, `tools[${i}].input_schema`, t.name);
    const spec: ToolSpec = { name: t.name, parameters };
    if (t.description != null) spec.description = t.description;
    out.push(spec);
  });
  return out;
}

function mapToolChoice(req: AnthropicCountTokensRequest, tools: readonly ToolSpec[]): ToolChoice | undefined {
  const c = req.tool_choice;
  if (c === undefined) return undefined;
  if (c.type === 'auto' || c.type === 'none') return c.type;
  if (c.type === 'any') return 'required';
  if (!tools.some((t) => t.name === c.name))
    throw new AppError('bad_request', `tool_choice.name: no tool named "${c.name}" in tools`, {
      path: 'tool_choice.name',
    });
  return { name: c.name };
}
