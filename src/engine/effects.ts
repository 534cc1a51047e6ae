// The two kinds of effect the loop performs, journaled: model calls (through the gateway) and
// application tool calls. A model call whose result is logged is not asked again, one started
// without a result is; a tool call whose idempotency key is logged with a result is not executed
// again (one started without a result is executed again with the same key, which the tool gets
// in its context to recognise a repeat).
import type {
  EngineTool,
  LoggedToolCall,
  ToolCallRepair,
  ModelCallPurpose,
  ToolResult,
} from './engine-types.ts';
import type { CallModel, ModelRequest } from './gateway-model.ts';
import type { EventOf, Journal } from './journal.ts';
import { toolDefinitionsText } from './model-messages.ts';
import { repairReply } from './repair-calls.ts';
import { toolEffect } from './tool-effect.ts';
import type { Thread } from './thread.ts';
import type { Clock } from '../lib/clock.ts';
import type { RepairRung } from '../repair/repair-types.ts';

export type ModelCallEvent = EventOf<'model_call'>;

/** a model request whose messages come from the thread it is made on */
export type ThreadRequest = Omit<ModelRequest, 'messages'>;

export interface EffectsContext {
  runId: string;
  agentId: string;
  clock: Clock;
  signal: AbortSignal;
  repair?: ToolCallRepair;
}

export class Effects {
  private readonly journal: Journal;
  private readonly callModel: CallModel;
  private readonly tools: ReadonlyMap<string, EngineTool<never>>;
  private readonly ctx: EffectsContext;
  private readonly seq = new Map<string, number>();

  constructor(
    journal: Journal,
    callModel: CallModel,
    tools: ReadonlyMap<string, EngineTool<never>>,
    ctx: EffectsContext,
  ) {
    this.journal = journal;
    this.callModel = callModel;
    this.tools = tools;
    this.ctx = ctx;
  }

  /**
   * One model call on `thread`: its messages trimmed to what fits beside the request's system
   * prompt and tools; the server's prompt count calibrates the thread's estimate.
   */
  async model(
    purpose: ModelCallPurpose,
    thread: Thread,
    threadRequest: ThreadRequest,
    promptTokens?: { dynamic: number; static: number },
  ): Promise<ModelCallEvent> {
    const frame = { system: threadRequest.system, tools: toolDefinitionsText(threadRequest.tools ?? []) };
    const request: ModelRequest = { ...threadRequest, messages: thread.window(frame) };
    const callId = this.next('call');
    await this.journal.record({
      type: 'model_call_started',
      callId,
      purpose,
      alias: request.alias,
      thread: thread.name,
    });
    const event =
      this.journal.take('model_call', (e) => e.callId === callId) ??
      (await this.ask(callId, purpose, request, promptTokens));
    if (event.result.ok) thread.observe(request.messages, event.tokensIn, frame);
    return event;
  }

  /** Executes a valid call of a reply, or returns its logged result (tool-effect.ts). */
  tool(call: LoggedToolCall): Promise<ToolResult> {
    const key = `${this.ctx.runId}/${this.ctx.agentId}/${this.journal.step}/${this.next('tool')}`;
    const { runId, agentId, signal, clock } = this.ctx;
    return toolEffect(this.journal, this.tools.get(call.name), call, key, { runId, agentId, signal, clock });
  }

  private async ask(
    callId: string,
    purpose: ModelCallPurpose,
    request: ModelRequest,
    promptTokens: { dynamic: number; static: number } | undefined,
  ): Promise<ModelCallEvent> {
    const r = await this.callModel({ ...request, signal: this.ctx.signal });
    if (!r.ok && r.kind === 'cancelled') throw abortError(this.ctx.signal);
    const common = {
      type: 'model_call' as const,
      callId,
      purpose,
      alias: request.alias,
      ...(promptTokens ? { promptTokens } : {}),
    };
    if (!r.ok)
      return this.journal.record({
        ...common,
        model: request.alias,
        tokensIn: 0,
        tokensOut: 0,
        result: { ok: false, kind: r.kind, error: r.error },
      });
    const reply = await repairReply(
      this.ctx.repair,
      { text: r.text, calls: r.calls.map((c) => ({ ...c })) },
      request.tools ?? [],
    );
    return this.journal.record({
      ...common,
      ...(r.requestId ? { requestId: r.requestId } : {}),
      model: r.model,
      ...(r.server ? { server: r.server } : {}),
      tokensIn: r.tokensIn,
      tokensOut: r.tokensOut,
      ...rungOf(reply.rung, reply.calls.length > 0 ? r.gatewayRung : undefined),
      result: { ok: true, text: reply.text, toolCalls: reply.calls },
    });
  }

  /** per-step sequence numbers: stable across a replay */
  private next(kind: 'call' | 'tool'): string {
    const k = `${kind}:${this.journal.step}`;
    const n = this.seq.get(k) ?? 0;
    this.seq.set(k, n + 1);
    return kind === 'call' ? `${this.journal.step}.${n}` : String(n);
  }
}

function abortError(signal: AbortSignal): Error {
  if (signal.reason instanceof Error) return signal.reason;
  const e = new Error('cancelled');
  e.name = 'AbortError';
  return e;
}

/** the highest rung a reply's calls needed: the gateway's ladder's, or the engine's own */
function rungOf(engine: RepairRung | undefined, gateway: RepairRung | undefined): { rung?: RepairRung } {
  const rung = Math.max(engine ?? 0, gateway ?? 0);
  return rung > 0 ? { rung: rung as RepairRung } : {};
}
