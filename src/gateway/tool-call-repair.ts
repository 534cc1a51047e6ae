// The repair ladder (src/repair/) on the gateway's chat path: a reply to a request that offered
// tools, from a model whose tool_calls.repair is not off, goes through the ladder, so a client gets
// native tool calls from a model that wrote them as text. Whole answers are repaired once folded;
// streamed ones pass their text through a hold-back (src/repair/stream-holdback.ts) and the ladder
// runs on the end. Every reply it looks at is counted (metric and usage row).
import { repairSettingsFor, type ModelConfig, type RepairSettings } from '../config/index.ts';
import type { ChatEvent, ChatRequest, ChatResult, FinishReason, ToolCall } from '../core/chat.ts';
import {
  repairToolCalls,
  repairToolCallsSync,
  RUNG_NAMES,
  toOfferedTools,
  type ModelReply,
  type OfferedTool,
  type RepairModelCall,
  type RepairResult,
} from '../repair/index.ts';
import { StreamHoldback } from '../repair/stream-holdback.ts';
import type { CallOutcome, ToolCallRecord } from '../store/index.ts';
import { toAppError } from '../core/errors/index.ts';
import type { ApiFace } from './api-face.ts';
import { newSummary, type ExecutionSummary } from './execution-summary.ts';
import { foldEvents } from './fold-events.ts';
import type { GatewayServices } from './gateway-services.ts';
import { recordRequest, type RequestEnd } from './usage-row.ts';

/**
 * The repair for a reply of the model that answered (`end.summary.model`), or undefined when none
 * applies: no tools offered, tool_choice none, or repair off for that model under this alias.
 */
export function toolCallRepairFor(
  s: GatewayServices,
  request: ChatRequest,
  end: { summary: ExecutionSummary; face: ApiFace },
  signal: AbortSignal,
): ToolCallRepair | undefined {
  const { summary } = end;
  if (!request.tools || request.tools.length === 0 || request.toolChoice === 'none') return undefined;
  const model = s.fleet.models.find((m) => m.name === summary.model);
  if (!model) return undefined;
  const settings = repairSettingsFor(s.fleet, model, request.meta.alias);
  if (settings.mode === 'off') return undefined;
  return new ToolCallRepair(s, request, model, settings, summary, signal, end.face);
}

export class ToolCallRepair {
  readonly #s: GatewayServices;
  readonly #request: ChatRequest;
  readonly #model: ModelConfig;
  readonly #settings: RepairSettings;
  readonly #summary: ExecutionSummary;
  readonly #signal: AbortSignal;
  readonly #face: ApiFace;
  readonly tools: OfferedTool[];

  constructor(
    s: GatewayServices,
    request: ChatRequest,
    model: ModelConfig,
    settings: RepairSettings,
    summary: ExecutionSummary,
    signal: AbortSignal,
    face: ApiFace,
  ) {
    this.#face = face;
    this.#s = s;
    this.#request = request;
    this.#model = model;
    this.#settings = settings;
    this.#summary = summary;
    this.#signal = signal;
    this.tools = toOfferedTools(request.tools) ?? [];
  }

  get full(): boolean {
    return this.#settings.mode === 'full';
  }

  /** a folded answer with the calls its text carried as native calls */
  async repairResult(result: ChatResult): Promise<ChatResult> {
    const fixed = await this.repair(result.text, result.toolCalls);
    if (!fixed) return result;
    return { ...result, text: fixed.text, toolCalls: fixed.calls, finishReason: 'tool_calls' };
  }

  /**
   * The ladder on a whole reply (counted): its calls as native ones and the text left, or undefined
   * when it has no calls (the reply then goes on as it came)
   */
  repair(
    text: string,
    native: ToolCall[],
  ):
    | Promise<{ text: string; calls: ToolCall[] } | undefined>
    | { text: string; calls: ToolCall[] }
    | undefined {
    const reply: ModelReply = {
      text,
      nativeCalls: native.map((c) => ({ name: c.name, arguments: c.arguments })),
    };
    if (!this.full) return this.#apply(repairToolCallsSync(reply, this.tools), native);
    return repairToolCalls(reply, this.tools, { mode: 'full', callModel: this.#callModel }).then((r) =>
      this.#apply(r, native),
    );
  }

  /** whether a region of streamed text, alone, is a call (or, in full mode, a broken one) */
  isCall = (region: string): boolean => {
    const v = repairToolCallsSync({ text: region }, this.tools).verdict;
    return v === 'calls' || (this.full && (v === 'invalid' || v === 'unknown_tool'));
  };

  /** the text of a streamed reply that is left once its calls are out (the held part only) */
  remainingText(held: string): string {
    const r = repairToolCallsSync({ text: held }, this.tools);
    return r.verdict === 'calls' ? r.text : held;
  }

  /** counts a reply the ladder saw; for a streamed plain answer, after it went out */
  count(r: RepairResult): void {
    const counts: ToolCallRecord['counts'] = {};
    let rung = 0;
    for (const c of r.calls) {
      // the usage record's outcomes are the rungs' names
      const o = RUNG_NAMES[c.rung] as CallOutcome;
      counts[o] = (counts[o] ?? 0) + 1;
      rung = Math.max(rung, c.rung);
      this.#s.metrics.toolCallRepairs.inc({
        model: this.#model.name,
        rung: RUNG_NAMES[c.rung],
        verdict: r.verdict,
      });
    }
    if (r.calls.length === 0) {
      this.#s.metrics.toolCallRepairs.inc({ model: this.#model.name, rung: 'none', verdict: r.verdict });
      if (r.verdict !== 'no_call') counts.lost = 1;
    }
    this.#summary.toolCalls = { verdict: r.verdict, ...(rung > 0 ? { rung } : {}), counts };
  }

  /** a plain streamed answer (nothing held): counted for its verdict (no_call or narrated) */
  countPlain(text: string): void {
    this.count(repairToolCallsSync({ text }, this.tools));
  }

  #apply(r: RepairResult, native: ToolCall[]): { text: string; calls: ToolCall[] } | undefined {
    this.count(r);
    // never fewer calls than the model sent natively: what it sent goes on as it came
    if (r.verdict !== 'calls') return undefined;
    const unused = [...native];
    const calls = r.calls.map((c): ToolCall => {
      const at = c.form === 'native' ? unused.findIndex((n) => n.name === c.name) : -1;
      const id = at >= 0 ? unused.splice(at, 1)[0]!.id : this.#s.ids('call');
      return { id, name: c.name, arguments: c.arguments };
    });
    return { text: r.text, calls };
  }

  /** rungs 5-6: the interpreter (constrained by `format`) or the original model, through the
   * gateway's own path (alias chain, scheduler, timeouts), as a whole answer */
  #callModel: RepairModelCall = async (q) => {
    const s = this.#s;
    const orig = this.#request;
    const interpret = q.purpose === 'interpret';
    const target = interpret
      ? (s.fleet.models.find((m) => m.name === this.#settings.interpreter) ?? this.#model)
      : this.#model;
    const prompt = { role: 'user' as const, content: [{ type: 'text' as const, text: q.prompt }] };
    const request: ChatRequest = {
      model: target.name,
      ...(interpret ? (q.system ? { system: q.system } : {}) : orig.system ? { system: orig.system } : {}),
      messages: interpret ? [prompt] : [...orig.messages, prompt],
      // Ollama suppresses tool calls when given a format: the interpreter gets the schema only
      ...(interpret ? {} : { tools: orig.tools }),
      ...(q.format ? { responseFormat: { type: 'json_schema' as const, schema: q.format } } : {}),
      temperature: 0,
      stream: false,
      meta: { ...orig.meta, requestId: s.ids('req') },
    };
    // a request of its own in the usage store and metrics: its tokens are spent like any other's
    const end: RequestEnd = {
      face: this.#face,
      requestId: request.meta.requestId,
      arrivedAt: s.clock.now(),
      request,
      summary: newSummary(),
      status: 200,
      startedAt: performance.now(),
    };
    try {
      const events = await s.executor.execute(request, [target], {
        signal: this.#signal,
        summary: end.summary,
        arrivedAt: end.arrivedAt,
        wholeAnswer: true,
      });
      const r = await foldEvents(events, target.name);
      return {
        text: r.text,
        nativeCalls: r.toolCalls.map((c) => ({ name: c.name, arguments: c.arguments })),
      };
    } catch (e) {
      const err = toAppError(e);
      end.status = err.status;
      end.summary.errorCode ??= err.code;
      throw err;
    } finally {
      await recordRequest(s, end);
    }
  };
}

/**
 * A streamed reply through the repair: text goes out as the hold-back lets it, native calls and
 * the final event wait for the end, where the ladder runs on the held text. `emit` gets the events
 * to send; the returned promise (full mode only) settles once the end's events are out.
 */
export function streamRepair(
  repair: ToolCallRepair,
): (e: ChatEvent, emit: (e: ChatEvent) => void) => Promise<void> | undefined {
  const hold = new StreamHoldback(
    repair.tools.map((t) => t.name),
    repair.isCall,
  );
  const native: ToolCall[] = [];
  let whole = '';
  return (e, emit) => {
    if (e.type === 'text') {
      whole += e.delta;
      const out = hold.push(e.delta);
      if (out !== '') emit(out === e.delta ? e : { type: 'text', delta: out });
      return undefined;
    }
    if (e.type === 'tool_call') {
      native.push(e.call);
      return undefined;
    }
    if (e.type !== 'done') {
      emit(e);
      return undefined;
    }
    const held = hold.end();
    if (held === '' && native.length === 0) {
      // counted (the ladder over the whole text, for the verdict) in the next turn of the event
      // loop, then the final event, whose usage row carries the count: an answer that arrived in
      // one read has its first bytes on the wire before the ladder reads it
      return new Promise((resolve) =>
        setImmediate(() => {
          repair.countPlain(whole);
          emit(e);
          resolve();
        }),
      );
    }
    const finish = (fixed: { text: string; calls: ToolCall[] } | undefined): void => {
      const text = fixed ? repair.remainingText(held) : held;
      if (text !== '') emit({ type: 'text', delta: text });
      const calls = fixed?.calls ?? native;
      calls.forEach((call, index) => emit({ type: 'tool_call', index, call }));
      const finishReason: FinishReason = fixed ? 'tool_calls' : e.finishReason;
      emit(finishReason === e.finishReason ? e : { ...e, finishReason });
    };
    const fixed = repair.repair(whole, native);
    if (fixed instanceof Promise) return fixed.then(finish);
    finish(fixed);
    return undefined;
  };
}
