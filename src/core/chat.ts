// The one canonical internal model of a chat exchange. Every API (OpenAI, Anthropic, Ollama) is
// translated to and from these types at the border by pure mappers in src/translate/.

export type Role = 'system' | 'user' | 'assistant' | 'tool';

export type ContentPart =
  | { type: 'text'; text: string }
  /** base64 data without the data: prefix */
  | { type: 'image'; mediaType: string; data: string }
  /** a model's reasoning; passed on to APIs that accept it, dropped cleanly otherwise */
  | { type: 'thinking'; text: string; signature?: string };

export interface ToolCall {
  id: string;
  name: string;
  /** parsed JSON arguments */
  arguments: Record<string, unknown>;
}

export interface ChatMessage {
  role: Role;
  content: ContentPart[];
  /** assistant messages: the tool calls it made */
  toolCalls?: ToolCall[];
  /** tool messages: the call this result answers */
  toolCallId?: string;
  /** tool messages: the tool's name, when the API gives it */
  toolName?: string;
  /** tool messages: the tool reported an error */
  isError?: boolean;
}

export interface ToolSpec {
  name: string;
  description?: string;
  /** JSON Schema of the arguments object */
  parameters: Record<string, unknown>;
}

export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json' }
  | { type: 'json_schema'; name?: string; schema: Record<string, unknown> };

export type Priority = 'high' | 'medium' | 'low';

export interface RequestMeta {
  requestId: string;
  agentId?: string;
  sessionId?: string;
  priority?: Priority;
  /** name of the gateway key that authorised the request (never the key itself) */
  keyName?: string;
  /** public name the client asked for, before alias resolution */
  alias?: string;
}

export interface ChatRequest {
  /** a fleet model name (after alias resolution) or the alias itself before it */
  model: string;
  /** system prompt, kept apart because Anthropic carries it outside messages */
  system?: string;
  messages: ChatMessage[];
  tools?: ToolSpec[];
  toolChoice?: ToolChoice;
  responseFormat?: ResponseFormat;
  temperature?: number;
  topP?: number;
  topK?: number;
  maxTokens?: number;
  stop?: string[];
  seed?: number;
  /** the client asked the model to reason before answering (true) or not to (false); unset: the
   * model's default */
  thinking?: boolean;
  stream: boolean;
  meta: RequestMeta;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

/** Durations of one response, in milliseconds, as the backend reported them. */
export interface Timings {
  totalMs: number;
  loadMs: number;
  prefillMs: number;
  /** prompt tokens evaluated in prefillMs (the prompt less what the KV cache held), when known */
  prefillTokens?: number;
  decodeMs: number;
  /** time spent waiting in Orchestra's scheduler before dispatch */
  queueMs?: number;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'error';

export type ChatEvent =
  | { type: 'start'; model: string; server?: string }
  | { type: 'text'; delta: string }
  | { type: 'thinking'; delta: string }
  | { type: 'tool_call'; index: number; call: ToolCall }
  /** the model is being loaded; gateways turn this into keep-alive pings */
  | { type: 'waiting'; reason: 'queued' | 'loading'; etaMs?: number }
  | { type: 'done'; finishReason: FinishReason; usage: Usage; timings?: Timings };

/** A complete (non-streamed) response, folded from a ChatEvent stream. */
export interface ChatResult {
  model: string;
  server?: string;
  text: string;
  thinking?: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  usage: Usage;
  timings?: Timings;
}

export function textOf(parts: readonly ContentPart[]): string {
  return parts
    .filter((p): p is { type: 'text'; text: string } => p.type === 'text')
    .map((p) => p.text)
    .join('');
}
