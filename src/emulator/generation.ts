// One completion on the emulated server: the responder's reply, the request submitted to the core,
// and the wait for a slot. Client aborts cancel the request in the core exactly once.
import type { ModelConfig } from '../config/schema.ts';
import type { Finished, Started, Ticket } from './core-driver.ts';
import type { EmulatorContext } from './emulator-context.ts';
import type { ResponderMessage, ResponderToolCall } from './responders/responder.ts';
import { estimateTokens, splitTokens } from './responders/responder.ts';

export interface GenerationInput {
  model: ModelConfig;
  messages: ResponderMessage[];
  tools: string[];
  /** characters of tool definitions in the prompt */
  toolChars?: number;
  numPredict?: number;
  /** structured output: "json" or a JSON Schema */
  format?: 'json' | Record<string, unknown>;
  numCtx?: number;
  keepAliveMs?: number;
  signal: AbortSignal;
}

export interface Generation {
  id: string;
  ticket: Ticket;
  started: Started;
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
  const reply = ctx.responder({
    model: input.model.name,
    messages: input.messages,
    tools: input.tools,
    ...(input.format !== undefined ? { format: input.format } : {}),
    ...(input.numPredict !== undefined && input.numPredict > 0 ? { maxTokens: input.numPredict } : {}),
  });
  let tokens = splitTokens(reply.content);
  let doneReason: Generation['doneReason'] = 'stop';
  // A reply longer than num_predict is cut like Ollama cuts it: done_reason "length".
  if (input.numPredict !== undefined && input.numPredict > 0 && tokens.length > input.numPredict) {
    tokens = tokens.slice(0, input.numPredict);
    doneReason = 'length';
  }
  const toolCalls = doneReason === 'length' ? [] : (reply.toolCalls ?? []);
  const outputTokens = tokens.length + (toolCalls.length > 0 ? estimateTokens(JSON.stringify(toolCalls)) : 0);
  const promptChars = input.messages.reduce((n, m) => n + m.content.length + 4, 0) + (input.toolChars ?? 0);
  const id = ctx.ids('req');
  const faults = ctx.faults();
  const ticket = ctx.driver.submit({
    id,
    model: input.model.name,
    promptTokens: input.messages.length > 0 ? Math.max(1, Math.ceil(promptChars / 4)) : 0,
    outputTokens,
    ...(input.numCtx !== undefined ? { numCtx: input.numCtx } : {}),
    ...(input.keepAliveMs !== undefined ? { keepAliveMs: input.keepAliveMs } : {}),
    ...(faults.slowFirstTokenMs ? { extraFirstTokenMs: faults.slowFirstTokenMs } : {}),
  });
  const cancel = (): void => ctx.driver.cancel(id);
  if (input.signal.aborted) cancel();
  else input.signal.addEventListener('abort', cancel, { once: true });
  void ticket.finished.then(
    () => input.signal.removeEventListener('abort', cancel),
    () => input.signal.removeEventListener('abort', cancel),
  );
  const started = await ticket.started;
  return { id, ticket, started, tokens, toolCalls, outputTokens, doneReason, cancel };
}

/** ms on the clock when output token `index` (0-based) of `total` appears */
export function tokenTime(started: Started, index: number, total: number): number {
  return started.at + started.prefillMs + (started.decodeMs * (index + 1)) / Math.max(1, total);
}

export type { Finished };
