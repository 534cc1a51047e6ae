// One completion on the emulated server: the responder's reply, the request submitted to the core,
// and the wait for a slot. Client aborts cancel the request in the core exactly once.
import type { ModelConfig } from '../config/schema.ts';
import type { Finished, Started, Ticket } from './core-driver.ts';
import type { EmulatorContext } from './emulator-context.ts';
import { callsText, fitToContext, messageKey, type PromptMessage } from './prompt-window.ts';
import type { ResponderOutput, ResponderToolCall } from './responders/responder.ts';
import { splitTokens } from './responders/responder.ts';
import { textTokens as estimateTokens } from '../translate/shared/estimate-tokens.ts';

export interface GenerationInput {
  model: ModelConfig;
  messages: PromptMessage[];
  tools: string[];
  /** each offered tool's JSON Schema of arguments, by name */
  toolParameters?: Record<string, Record<string, unknown>>;
  /** the x-orchestra-agent header, passed to the responder */
  agent?: string;
  /** the tool definitions as text (they are part of the prompt) */
  toolsText?: string;
  numPredict?: number;
  /** stop sequences: the reply ends before the first one (not included), done_reason "stop" */
  stop?: readonly string[];
  /** structured output: "json" or a JSON Schema */
  format?: 'json' | Record<string, unknown>;
  numCtx?: number;
  keepAliveMs?: number;
  /** Ollama's `think`: reasoning before the reply */
  think?: boolean;
  /** no reply at all (loads, embeddings): the request only takes the runner for its prompt */
  noOutput?: boolean;
  signal: AbortSignal;
}

export interface Generation {
  id: string;
  ticket: Ticket;
  started: Started;
  /** reasoning tokens, streamed before the text (only when the request asked to think) */
  thinkingTokens: string[];
  /** text tokens in order */
  tokens: string[];
  toolCalls: ResponderToolCall[];
  outputTokens: number;
  doneReason: 'stop' | 'length';
  /** cancels the request (client gone, stream reset); idempotent */
  cancel(): void;
}

/** Submits and waits for a slot; throws Ollama's errors (404, 500 load failure, 503 queue full). */
export async function startGeneration(ctx: EmulatorContext, input: GenerationInput): Promise<Generation> {
  const prompt = fitToContext(input.messages, input.toolsText, input.numCtx ?? input.model.contextTokens);
  const reply: ResponderOutput = input.noOutput
    ? { content: '' }
    : ctx.responder({
        model: input.model.name,
        messages: prompt.messages.map((m) => ({ role: m.role, content: m.content + callsText(m.toolCalls) })),
        tools: input.tools,
        ...(input.toolParameters ? { toolParameters: input.toolParameters } : {}),
        ...(input.agent !== undefined ? { agent: input.agent } : {}),
        ...(input.format !== undefined ? { format: input.format } : {}),
        ...(input.think ? { think: true } : {}),
        ...(input.numPredict !== undefined && input.numPredict > 0 ? { maxTokens: input.numPredict } : {}),
      });
  let thinkingTokens = input.think ? splitTokens(reply.thinking ?? '') : [];
  const content = cutAtStop(reply.content, input.stop);
  let tokens = splitTokens(content);
  let doneReason: Generation['doneReason'] = 'stop';
  // A reply longer than num_predict (reasoning included) is cut like Ollama cuts it: "length".
  const limit = input.numPredict !== undefined && input.numPredict > 0 ? input.numPredict : Infinity;
  if (thinkingTokens.length + tokens.length > limit) {
    thinkingTokens = thinkingTokens.slice(0, limit);
    tokens = tokens.slice(0, limit - thinkingTokens.length);
    doneReason = 'length';
  }
  const id = ctx.ids('req');
  const faults = ctx.faults();
  // generation ended at a stop sequence or the token limit, before any tool call was written
  const toolCalls = doneReason === 'length' || content !== reply.content ? [] : (reply.toolCalls ?? []);
  // a scripted token count stands for the reply's length (never past num_predict)
  const outputTokens =
    reply.outputTokens !== undefined
      ? Math.min(limit, reply.outputTokens)
      : thinkingTokens.length +
        tokens.length +
        (toolCalls.length > 0 ? estimateTokens(JSON.stringify(toolCalls)) : 0);
  // a scripted delay and the slow-first-token fault both hold the slot before the first token
  const extraFirstTokenMs = (faults.slowFirstTokenMs ?? 0) + (reply.delayMs ?? 0);
  const ticket = ctx.driver.submit({
    id,
    model: input.model.name,
    promptTokens: prompt.promptTokens,
    promptParts: prompt.parts,
    replyKey: messageKey({ role: 'assistant', content: tokens.join(''), toolCalls }),
    outputTokens,
    ...(input.numCtx !== undefined ? { numCtx: input.numCtx } : {}),
    ...(input.keepAliveMs !== undefined ? { keepAliveMs: input.keepAliveMs } : {}),
    ...(extraFirstTokenMs > 0 ? { extraFirstTokenMs } : {}),
  });
  const cancel = (): void => ctx.driver.cancel(id);
  if (input.signal.aborted) cancel();
  else input.signal.addEventListener('abort', cancel, { once: true });
  void ticket.finished.then(
    () => input.signal.removeEventListener('abort', cancel),
    () => input.signal.removeEventListener('abort', cancel),
  );
  const started = await ticket.started;
  return { id, ticket, started, thinkingTokens, tokens, toolCalls, outputTokens, doneReason, cancel };
}

/** the text before the earliest stop sequence found in it (all of it when none is) */
export function cutAtStop(text: string, stop: readonly string[] | undefined): string {
  let end = text.length;
  for (const s of stop ?? []) {
    if (s === '') continue;
    const at = text.indexOf(s);
    if (at >= 0 && at < end) end = at;
  }
  return text.slice(0, end);
}

export type { Finished };

export type { PromptMessage };
