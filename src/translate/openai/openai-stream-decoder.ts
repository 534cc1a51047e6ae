// Chat Completions SSE chunks -> core ChatEvents, for OpenAI-compatible cloud backends. Tool calls
// arrive as fragments per index (id and name first, then argument text); they are emitted whole
// when the stream finishes. `done` comes at [DONE], or at end() if a server forgets it.
import type { ChatEvent, FinishReason, ToolCall, Usage } from '../../core/chat.ts';
import { AppError } from '../../core/errors/index.ts';
import type { SSEMessage } from '../../lib/sse.ts';
import {
  OpenAIChatChunkSchema,
  type OpenAIChatChunk,
  type OpenAIToolCallDelta,
} from '../../protocol/openai/chat-response.ts';
import { parseToolArguments } from '../shared/tool-arguments.ts';
import { fromOpenAIFinishReason } from './finish-reason.ts';
import { openAIErrorToCore } from './openai-response-to-core.ts';

export interface OpenAIStreamDecoder {
  decode(frame: SSEMessage): ChatEvent[];
  /** the HTTP body ended: flushes a `done` if [DONE] never came but a finish_reason did */
  end(): ChatEvent[];
}

interface PendingCall {
  id: string;
  name: string;
  args: string;
}

interface State {
  started: boolean;
  done: boolean;
  finish: FinishReason | undefined;
  usage: Usage;
  /** tool calls by their stream index, collecting argument text */
  calls: Map<number, PendingCall>;
}

export function openAIStreamDecoder(): OpenAIStreamDecoder {
  const s: State = {
    started: false,
    done: false,
    finish: undefined,
    usage: { inputTokens: 0, outputTokens: 0 },
    calls: new Map(),
  };
  return {
    decode(frame) {
      if (s.done) return [];
      if (frame.data.trim() === '[DONE]') return finishEvents(s);
      const data = parseJson(frame.data);
      if (typeof data === 'object' && data !== null && 'error' in data) throw openAIErrorToCore(502, data);
      const parsed = OpenAIChatChunkSchema.safeParse(data);
      if (!parsed.success) throw new AppError('upstream_error', 'the backend sent a malformed stream chunk');
      return chunkEvents(s, parsed.data);
    },
    end() {
      if (s.done) return [];
      if (s.finish === undefined)
        throw new AppError('upstream_error', 'the backend stream ended before it finished');
      return finishEvents(s);
    },
  };
}

function chunkEvents(s: State, c: OpenAIChatChunk): ChatEvent[] {
  const out: ChatEvent[] = [];
  if (!s.started) {
    s.started = true;
    out.push({ type: 'start', model: c.model });
  }
  if (c.usage) s.usage = { inputTokens: c.usage.prompt_tokens, outputTokens: c.usage.completion_tokens };
  for (const choice of c.choices.filter((x) => x.index === 0)) {
    const d = choice.delta;
    const reasoning = d.reasoning_content ?? d.reasoning;
    if (reasoning) out.push({ type: 'thinking', delta: reasoning });
    if (d.content) out.push({ type: 'text', delta: d.content });
    for (const t of d.tool_calls ?? []) collect(s, t);
    if (choice.finish_reason) s.finish = fromOpenAIFinishReason(choice.finish_reason);
  }
  return out;
}

function collect(s: State, t: OpenAIToolCallDelta): void {
  const call = s.calls.get(t.index) ?? { id: '', name: '', args: '' };
  if (t.id) call.id = t.id;
  if (t.function?.name) call.name += t.function.name;
  if (t.function?.arguments) call.args += t.function.arguments;
  s.calls.set(t.index, call);
}

function finishEvents(s: State): ChatEvent[] {
  if (s.done) return [];
  s.done = true;
  const out: ChatEvent[] = [...s.calls.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, c], index) => ({ type: 'tool_call' as const, index, call: toolCall(c) }));
  const reason = out.length > 0 && s.finish === 'stop' ? 'tool_calls' : (s.finish ?? 'stop');
  out.push({ type: 'done', finishReason: reason, usage: s.usage });
  return out;
}

function toolCall(c: PendingCall): ToolCall {
  try {
    return { id: c.id, name: c.name, arguments: parseToolArguments(c.args, c.name) };
  } catch {
    throw new AppError('upstream_error', `the backend streamed unparsable arguments for tool ${c.name}`);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('upstream_error', 'the backend sent a stream chunk that is not JSON');
  }
}
