// Core ChatRequest -> Anthropic Messages request body, for the cloud backend. Tool messages become
// tool_result blocks in a user turn (merged with the user text that follows, as the API wants
// strict user/assistant alternation); system messages inside the conversation are folded into the
// top-level system prompt; thinking without a signature (from a local model) is dropped because
// Anthropic rejects unsigned thinking blocks.
import type { ChatMessage, ChatRequest, ContentPart } from '../../core/chat.ts';
import { textOf } from '../../core/chat.ts';
import type {
  AnthropicContentBlock,
  AnthropicToolResultContent,
} from '../../protocol/anthropic/content-blocks.ts';
import type {
  AnthropicMessageParam,
  AnthropicMessagesRequest,
  AnthropicToolChoice,
} from '../../protocol/anthropic/messages-request.ts';

export interface CoreToAnthropicOptions {
  /** the provider's model id */
  model: string;
  /** Anthropic requires max_tokens; used when the request has none */
  defaultMaxTokens?: number;
}

export function coreToAnthropicRequest(
  req: ChatRequest,
  options: CoreToAnthropicOptions,
): AnthropicMessagesRequest {
  const systems = req.system ? [req.system] : [];
  const turns: AnthropicMessageParam[] = [];
  for (const m of req.messages) {
    if (m.role === 'system') systems.push(textOf(m.content));
    else append(turns, m.role === 'assistant' ? 'assistant' : 'user', blocksOf(m));
  }
  if (req.responseFormat?.type === 'json') systems.push('Answer with a single JSON object and nothing else.');
  const body: AnthropicMessagesRequest = {
    model: options.model,
    max_tokens: req.maxTokens ?? options.defaultMaxTokens ?? 4096,
    messages: turns,
    stream: req.stream,
  };
  if (systems.length > 0) body.system = systems.join('\n\n');
  if (req.tools && req.tools.length > 0)
    body.tools = req.tools.map((t) => {
      const tool: NonNullable<AnthropicMessagesRequest['tools']>[number] = {
        name: t.name,
        input_schema: t.parameters,
      };
      if (t.description !== undefined) tool.description = t.description;
      return tool;
    });
  if (req.toolChoice !== undefined) body.tool_choice = toolChoice(req.toolChoice);
  if (req.responseFormat?.type === 'json_schema')
    body.output_config = { format: { type: 'json_schema', schema: req.responseFormat.schema } };
  if (req.stop && req.stop.length > 0) body.stop_sequences = req.stop;
  // Anthropic's temperature range is 0-1, OpenAI's 0-2: clamp rather than fail a fallback
  if (req.temperature !== undefined) body.temperature = Math.min(1, Math.max(0, req.temperature));
  if (req.topP !== undefined) body.top_p = req.topP;
  if (req.topK !== undefined) body.top_k = req.topK;
  if (req.meta.agentId !== undefined) body.metadata = { user_id: req.meta.agentId };
  return body;
}

function toolChoice(c: NonNullable<ChatRequest['toolChoice']>): AnthropicToolChoice {
  if (c === 'auto' || c === 'none') return { type: c };
  if (c === 'required') return { type: 'any' };
  return { type: 'tool', name: c.name };
}

function append(
  turns: AnthropicMessageParam[],
  role: 'user' | 'assistant',
  blocks: AnthropicContentBlock[],
): void {
  if (blocks.length === 0) return;
  const last = turns.at(-1);
  if (last?.role === role && Array.isArray(last.content)) last.content.push(...blocks);
  else turns.push({ role, content: blocks });
}

function blocksOf(m: ChatMessage): AnthropicContentBlock[] {
  if (m.role === 'tool') {
    const block: AnthropicContentBlock = {
      type: 'tool_result',
      tool_use_id: m.toolCallId ?? '',
      content: m.content.flatMap(resultContent),
    };
    if (m.isError) block.is_error = true;
    return [block];
  }
  const blocks = m.content.flatMap(partBlocks);
  for (const c of m.toolCalls ?? [])
    blocks.push({ type: 'tool_use', id: c.id, name: c.name, input: c.arguments });
  return blocks;
}

function partBlocks(p: ContentPart): AnthropicContentBlock[] {
  if (p.type === 'text') return p.text === '' ? [] : [{ type: 'text', text: p.text }];
  if (p.type === 'image')
    return [{ type: 'image', source: { type: 'base64', media_type: p.mediaType, data: p.data } }];
  return p.signature ? [{ type: 'thinking', thinking: p.text, signature: p.signature }] : [];
}

function resultContent(p: ContentPart): AnthropicToolResultContent[] {
  if (p.type === 'text') return [{ type: 'text', text: p.text }];
  if (p.type === 'image')
    return [{ type: 'image', source: { type: 'base64', media_type: p.mediaType, data: p.data } }];
  return [];
}
