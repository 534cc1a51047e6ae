// What the emulated model says. A responder turns a request into a reply; the emulator decides
// when each token of it appears (model-timing, core). Replies must be deterministic.

export interface ResponderMessage {
  role: string;
  content: string;
}

export interface ResponderInput {
  /** the model name as configured */
  model: string;
  messages: readonly ResponderMessage[];
  /** names of the tools the request offers */
  tools: readonly string[];
  /** JSON Schema of each offered tool's arguments, by name (when the request gave one) */
  toolParameters?: Readonly<Record<string, Record<string, unknown>>>;
  /** the request's x-orchestra-agent header, when it has one */
  agent?: string;
  /** num_predict / max_tokens when given (> 0) */
  maxTokens?: number;
  /** structured output asked for: "json" (any JSON) or a JSON Schema */
  format?: 'json' | Record<string, unknown>;
  /** the request asked for the model's reasoning (Ollama's `think`) */
  think?: boolean;
}

export interface ResponderToolCall {
  name: string;
  arguments: Record<string, unknown>;
}

export interface ResponderOutput {
  /** the assistant's text (for tool calls written as text, the text that carries them) */
  content: string;
  /** native tool calls (Ollama's message.tool_calls) */
  toolCalls?: ResponderToolCall[];
  /** reasoning, sent before the content when the request asked to think */
  thinking?: string;
  /** extra milliseconds (on the emulator's clock) before the first token, holding the slot */
  delayMs?: number;
  /** output tokens the reply counts as (eval_count, decode time) instead of its text's length */
  outputTokens?: number;
}

export type Responder = (input: ResponderInput) => ResponderOutput;

/** One output token per word (with its leading whitespace): close enough to a tokenizer here. */
export function splitTokens(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? [];
}
