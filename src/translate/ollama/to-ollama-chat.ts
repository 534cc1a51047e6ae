// Core ChatRequest -> Ollama /api/chat request. Pure. Rules from DESIGN.md: always send
// options.num_ctx (the model's configured context: a different value reloads the weights) and the
// caller's keep_alive; never send `format` together with `tools` (Ollama then suppresses tool
// calls); forward only fields Ollama knows.
import type { ChatMessage, ChatRequest, ContentPart, ToolSpec } from '../../core/chat.ts';
import type {
  OllamaChatRequest,
  OllamaFormat,
  OllamaKeepAlive,
  OllamaMessage,
  OllamaOptions,
  OllamaTool,
  OllamaToolCall,
} from '../../protocol/ollama/index.ts';

export interface ToOllamaChatOptions {
  /** the model's configured context window, sent as options.num_ctx on every request */
  contextTokens: number;
  /** the name Ollama knows (tag); defaults to request.model */
  upstreamModel?: string;
  /** seconds or a duration; negative keeps the model loaded (the scheduler decides unloads) */
  keepAlive?: OllamaKeepAlive;
  /** defaults to true: the backend streams and folds when the client wants one response */
  stream?: boolean;
  /** the model can think (fleet config models[].thinking): only then is `think` sent */
  thinking?: boolean;
}

export interface ToOllamaChatResult {
  request: OllamaChatRequest;
  /** what was dropped or approximated, for logs and the decision trail */
  notes: string[];
}

export function toOllamaChatRequest(req: ChatRequest, options: ToOllamaChatOptions): ToOllamaChatResult {
  const notes: string[] = [];
  const messages: OllamaMessage[] = [];
  if (req.system !== undefined && req.system !== '') messages.push({ role: 'system', content: req.system });
  const names = toolNamesById(req.messages);
  for (const m of req.messages) messages.push(toOllamaMessage(m, names));

  const request: OllamaChatRequest = {
    model: options.upstreamModel ?? req.model,
    messages,
    stream: options.stream ?? true,
    options: toOllamaOptions(req, options.contextTokens),
  };
  if (options.keepAlive !== undefined) request.keep_alive = options.keepAlive;
  if (req.thinking !== undefined) {
    // Ollama answers 400 "does not support thinking" to `think: true` for a model without the
    // capability; `think: false` is not sent to it either (there is no thinking to turn off)
    if (options.thinking === true) request.think = req.thinking;
    else if (req.thinking)
      notes.push(
        `thinking not passed on: ${request.model} is not configured as a thinking model (models[].thinking)`,
      );
  }

  const tools = selectTools(req, notes);
  if (tools.length > 0) request.tools = tools.map(toOllamaTool);
  const format = toOllamaFormat(req);
  if (format !== undefined) {
    if (tools.length > 0)
      notes.push(
        'dropped the response format: Ollama suppresses tool calls when `format` is sent with `tools`',
      );
    else request.format = format;
  }
  return { request, notes };
}

function toOllamaOptions(req: ChatRequest, contextTokens: number): OllamaOptions {
  const o: OllamaOptions = { num_ctx: contextTokens };
  if (req.temperature !== undefined) o.temperature = req.temperature;
  if (req.topP !== undefined) o.top_p = req.topP;
  if (req.topK !== undefined) o.top_k = req.topK;
  if (req.seed !== undefined) o.seed = req.seed;
  if (req.maxTokens !== undefined) o.num_predict = req.maxTokens;
  if (req.stop !== undefined && req.stop.length > 0) o.stop = [...req.stop];
  return o;
}

/** Ollama has no tool_choice: 'none' sends no tools, a named tool sends only that one. */
function selectTools(req: ChatRequest, notes: string[]): ToolSpec[] {
  const tools = req.tools ?? [];
  const choice = req.toolChoice;
  if (tools.length === 0 || choice === undefined || choice === 'auto') return tools;
  if (choice === 'none') return [];
  if (choice === 'required') {
    notes.push('tool choice "required" cannot be enforced by Ollama; tools offered as "auto"');
    return tools;
  }
  const only = tools.filter((t) => t.name === choice.name);
  notes.push(`tool choice "${choice.name}": only that tool is offered (Ollama has no tool_choice)`);
  return only;
}

function toOllamaTool(t: ToolSpec): OllamaTool {
  const fn: OllamaTool['function'] = { name: t.name, parameters: t.parameters };
  if (t.description !== undefined) fn.description = t.description;
  return { type: 'function', function: fn };
}

function toOllamaFormat(req: ChatRequest): OllamaFormat | undefined {
  const f = req.responseFormat;
  if (f === undefined || f.type === 'text') return undefined;
  return f.type === 'json' ? 'json' : f.schema;
}

function toOllamaMessage(m: ChatMessage, toolNames: Map<string, string>): OllamaMessage {
  const out: OllamaMessage = { role: m.role, content: textOf(m.content) };
  const images = m.content.filter((p) => p.type === 'image').map((p) => p.data);
  if (images.length > 0) out.images = images;
  if (m.role === 'assistant') {
    const thinking = thinkingOf(m.content);
    if (thinking !== '') out.thinking = thinking;
    if (m.toolCalls !== undefined && m.toolCalls.length > 0)
      out.tool_calls = m.toolCalls.map((c, index): OllamaToolCall => ({
        function: { index, name: c.name, arguments: c.arguments },
      }));
  }
  if (m.role === 'tool') {
    const name = m.toolName ?? (m.toolCallId === undefined ? undefined : toolNames.get(m.toolCallId));
    if (name !== undefined) out.tool_name = name;
    // Ollama has no error flag on tool results: say it in the text the model reads.
    if (m.isError === true && !/^error\b/i.test(out.content)) out.content = `Error: ${out.content}`;
  }
  return out;
}

function toolNamesById(messages: readonly ChatMessage[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const m of messages) for (const c of m.toolCalls ?? []) names.set(c.id, c.name);
  return names;
}

function textOf(parts: readonly ContentPart[]): string {
  return parts.map((p) => (p.type === 'text' ? p.text : '')).join('');
}

function thinkingOf(parts: readonly ContentPart[]): string {
  return parts.map((p) => (p.type === 'thinking' ? p.text : '')).join('');
}
