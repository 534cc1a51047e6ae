// Core ChatRequest -> Chat Completions request body, for OpenAI-compatible cloud backends.
import type { ChatMessage, ChatRequest, ContentPart } from '../../core/chat.ts';
import { textOf } from '../../core/chat.ts';
import type {
  OpenAIChatRequest,
  OpenAIContentPart,
  OpenAIMessage,
} from '../../protocol/openai/chat-request.ts';
import { toDataUrl } from '../shared/data-url.ts';

export interface CoreToOpenAIOptions {
  /** the provider's model id */
  model: string;
}

export function coreToOpenAIRequest(req: ChatRequest, options: CoreToOpenAIOptions): OpenAIChatRequest {
  const messages: OpenAIMessage[] = req.system ? [{ role: 'system', content: req.system }] : [];
  for (const m of req.messages) messages.push(messageOf(m));
  const body: OpenAIChatRequest = { model: options.model, messages, stream: req.stream };
  if (req.stream) body.stream_options = { include_usage: true };
  if (req.tools && req.tools.length > 0)
    body.tools = req.tools.map((t) => ({
      type: 'function' as const,
      function: {
        name: t.name,
        parameters: t.parameters,
        ...(t.description === undefined ? {} : { description: t.description }),
      },
    }));
  if (req.toolChoice !== undefined)
    body.tool_choice =
      typeof req.toolChoice === 'string'
        ? req.toolChoice
        : { type: 'function', function: { name: req.toolChoice.name } };
  const f = req.responseFormat;
  if (f?.type === 'json') body.response_format = { type: 'json_object' };
  else if (f?.type === 'json_schema')
    body.response_format = {
      type: 'json_schema',
      json_schema: { name: f.name ?? 'response', schema: f.schema },
    };
  if (req.temperature !== undefined) body.temperature = req.temperature;
  if (req.topP !== undefined) body.top_p = req.topP;
  if (req.maxTokens !== undefined) body.max_completion_tokens = req.maxTokens;
  if (req.stop && req.stop.length > 0) body.stop = req.stop;
  if (req.seed !== undefined) body.seed = req.seed;
  if (req.meta.agentId !== undefined) body.user = req.meta.agentId;
  return body;
}

function messageOf(m: ChatMessage): OpenAIMessage {
  switch (m.role) {
    case 'system':
      return { role: 'system', content: textOf(m.content) };
    case 'tool':
      // OpenAI tool messages take text only; images in a tool result cannot travel here
      return { role: 'tool', tool_call_id: m.toolCallId ?? '', content: textOf(m.content) };
    case 'user':
      return { role: 'user', content: userContent(m.content) };
    case 'assistant': {
      const text = textOf(m.content);
      const calls = m.toolCalls ?? [];
      const msg: OpenAIMessage = {
        role: 'assistant',
        content: text === '' && calls.length > 0 ? null : text,
      };
      if (calls.length > 0)
        msg.tool_calls = calls.map((c) => ({
          id: c.id,
          type: 'function' as const,
          function: { name: c.name, arguments: JSON.stringify(c.arguments) },
        }));
      return msg;
    }
  }
}

function userContent(parts: readonly ContentPart[]): string | OpenAIContentPart[] {
  if (parts.every((p) => p.type === 'text')) return textOf(parts);
  return parts.flatMap((p): OpenAIContentPart[] => {
    if (p.type === 'text') return [{ type: 'text', text: p.text }];
    if (p.type === 'image')
      return [{ type: 'image_url', image_url: { url: toDataUrl(p.mediaType, p.data) } }];
    return [];
  });
}
