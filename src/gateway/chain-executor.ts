// Runs a request along its alias chain: pre-call checks (context fits, model not cooling down,
// a usable server), retries with backoff on the same model, then fallback to the next model, all
// only before the first content event. After that the committed stream owns the request.
import type { ModelConfig } from '../config/index.ts';
import type { ChatEvent, ChatRequest } from '../core/chat.ts';
import { AppError, RETRYABLE_CODES, toAppError, type ErrorCode } from '../core/errors/index.ts';
import type { QueueInfo } from '../scheduler/scheduler-port.ts';
import { committedStream } from './committed-stream.ts';
import type { Cooldowns } from './cooldowns.ts';
import type { ExecutionSummary } from './execution-summary.ts';
import type { GatewayMetrics } from './gateway-metrics.ts';
import {
  openAttempt,
  unreachableServer,
  unusableReasons,
  usableServers,
  type AttemptContext,
  type OpenedAttempt,
} from './model-attempt.ts';
import { ServerOutages } from './server-outages.ts';

export interface ChainExecutorOptions extends AttemptContext {
  cooldowns: Cooldowns;
  metrics: GatewayMetrics;
  /** prompt tokens of a request (an estimate), for the context check and the scheduler */
  estimateTokens: (request: ChatRequest) => number;
}

export interface ExecuteOptions {
  /** the prompt's token estimate when the caller already has it (it walks every message and tool) */
  promptTokens?: number;
  /** the client's signal: aborting cancels the request wherever it is */
  signal: AbortSignal;
  summary: ExecutionSummary;
  /** clock ms the request arrived (start of the total timeout) */
  arrivedAt: number;
  onQueued?: (info: QueueInfo & { model: string }) => void;
  onWaiting?: (e: Extract<ChatEvent, { type: 'waiting' }>) => void;
  /**
   * the client gets the answer only once it is complete (not streamed): nothing has reached it
   * before the end, so a failure on the way still falls back to the next model
   */
  wholeAnswer?: boolean;
}

/** codes after which the next model of the chain may succeed where this one failed */
const FALLBACK_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  ...RETRYABLE_CODES,
  // this model cannot serve at all, which another may
  'model_not_found',
  'unschedulable',
]);

/** tokens that must be left for the answer for a model to be worth trying */
const MIN_ANSWER_TOKENS = 16;

function clampMaxTokens(request: ChatRequest, room: number): ChatRequest {
  return request.maxTokens !== undefined && request.maxTokens > room
    ? { ...request, maxTokens: room }
    : request;
}

export class ChainExecutor {
  private readonly o: ChainExecutorOptions;
  constructor(options: ChainExecutorOptions) {
    this.o = {
      ...options,
      outages:
        options.outages ??
        new ServerOutages({
          clock: options.clock,
          intervalMs: options.fleet.gateway.health.intervalSeconds * 1000,
        }),
    };
  }

  /** the committed event stream of the first model that produced content; AppError when none did */
  async execute(
    request: ChatRequest,
    chain: readonly ModelConfig[],
    opts: ExecuteOptions,
  ): Promise<AsyncIterable<ChatEvent>> {
    const { summary } = opts;
    const promptTokens = opts.promptTokens ?? this.o.estimateTokens(request);
    const totalDeadline = opts.arrivedAt + this.o.fleet.gateway.timeouts.totalSeconds * 1000;
    let failure: AppError | undefined;
    let skipped: AppError | undefined;
    const errors: AppError[] = [];
    for (const model of chain) {
      const skip = this.skipReason(model, promptTokens);
      if (skip) errors.push(skip);
      if (skip) {
        summary.trail.push({ model: model.name, outcome: 'skipped', reason: skip.message, code: skip.code });
        skipped = skipped?.code === 'context_too_long' ? skipped : skip;
        continue;
      }
      if (model !== chain[0]) {
        summary.fallbackUsed = true;
        const reason = failure?.code ?? skipped?.code ?? '';
        this.o.metrics.fallbacks.inc({ alias: request.meta.alias ?? '', to: model.name, reason });
      }
      try {
        const fitted = clampMaxTokens(request, model.contextTokens - promptTokens);
        const opened = await this.tryModel(model, fitted, promptTokens, totalDeadline, opts);
        const committed = this.commit(model, opened, totalDeadline, opts);
        return opts.wholeAnswer ? await wholeAnswer(model, committed, summary) : committed;
      } catch (e) {
        const err = toAppError(e);
        if (err.code === 'cancelled' || !FALLBACK_CODES.has(err.code)) {
          summary.errorCode = err.code;
          throw err;
        }
        failure = err;
        errors.push(err);
        summary.errorCode = undefined; // the next model may still answer
      }
    }
    const last = failure ?? skipped ?? new AppError('model_not_found', 'the alias has no models');
    const err = chain.length > 1 ? everyStep(last, summary, errors) : last;
    summary.errorCode = err.code;
    throw err;
  }

  private skipReason(model: ModelConfig, promptTokens: number): AppError | undefined {
    // the prompt must fit with room for an answer; a max_tokens beyond what is left is clamped
    // (Claude Code asks for 32 000 output tokens whatever the model), not a reason to skip
    if (promptTokens + MIN_ANSWER_TOKENS > model.contextTokens)
      return new AppError(
        'context_too_long',
        `the prompt (about ${promptTokens} tokens) does not fit ${model.name}'s context of ${model.contextTokens} tokens`,
      );
    const until = this.o.cooldowns.coolingUntil(model.name);
    if (until !== undefined)
      return new AppError('upstream_unavailable', `${model.name} is cooling down after repeated failures`, {
        retryAfterSeconds: Math.ceil((until - this.o.clock.now()) / 1000),
      });
    if (usableServers(this.o, model).length === 0) {
      // a server that is down is checked again within one health interval: retry then
      const next = model.servers
        .map((s) => this.o.outages?.outage(s)?.nextCheckAt)
        .filter((t): t is number => t !== undefined);
      return new AppError(
        'upstream_unavailable',
        `${model.name}: ${unusableReasons(this.o, model).join('; ')}`,
        {
          ...(next.length > 0
            ? { retryAfterSeconds: Math.max(1, Math.ceil((Math.min(...next) - this.o.clock.now()) / 1000)) }
            : {}),
        },
      );
    }
    return undefined;
  }

  /** the same model, retried with exponential backoff while the failure is retryable */
  private async tryModel(
    model: ModelConfig,
    request: ChatRequest,
    promptTokens: number,
    totalDeadline: number,
    opts: ExecuteOptions,
  ): Promise<OpenedAttempt> {
    const { attempts, backoffSeconds } = this.o.fleet.gateway.retries;
    const { summary } = opts;
    for (let i = 0; ; i++) {
      summary.attempts++;
      summary.model = model.name;
      const queued = (info: QueueInfo): void => opts.onQueued?.({ ...info, model: model.name });
      try {
        return await openAttempt(this.o, {
          model,
          request,
          promptTokens,
          clientSignal: opts.signal,
          totalDeadline,
          onQueued: queued,
          onWaiting: opts.onWaiting,
          summary,
        });
      } catch (e) {
        const err = toAppError(e);
        summary.trail.push({ model: model.name, outcome: 'failed', reason: err.message, code: err.code });
        if (err.code === 'cancelled') throw err;
        const down = unreachableServer(err);
        // a server that does not answer is down, not the model broken: the health probe, not the
        // cooldown, says when it is used again
        const outage = down !== undefined || usableServers(this.o, model).length === 0;
        if (!outage && this.o.cooldowns.failed(model.name))
          this.o.metrics.cooldown.set({ model: model.name }, 1);
        const wait = backoffSeconds * 1000 * 2 ** i;
        const last =
          !err.retryable ||
          i >= attempts ||
          this.o.cooldowns.coolingUntil(model.name) !== undefined ||
          this.o.outages?.outage(down ?? '') !== undefined ||
          this.o.clock.now() + wait >= totalDeadline;
        if (last) {
          if (down !== undefined) this.o.outages?.failed(down, err.message);
          throw err;
        }
        await this.o.clock.sleep(wait, opts.signal).catch(() => {
          throw new AppError('cancelled', 'the client went away');
        });
      }
    }
  }

  private commit(
    model: ModelConfig,
    a: OpenedAttempt,
    totalDeadline: number,
    opts: ExecuteOptions,
  ): AsyncIterable<ChatEvent> {
    const { summary } = opts;
    const m = this.o.metrics;
    summary.server = a.server.name;
    summary.local = a.local;
    summary.queuedMs = a.lease?.queuedMs ?? 0;
    summary.loadMs = a.lease?.loadMs ?? 0;
    summary.firstTokenAt = this.o.clock.now();
    summary.trail.push({ model: model.name, server: a.server.name, outcome: 'ok' });
    m.timeToFirstToken.observe({ model: model.name }, (summary.firstTokenAt - opts.arrivedAt) / 1000);
    if (a.lease) {
      m.queueWait.observe({ model: model.name }, a.lease.queuedMs / 1000);
      if (a.lease.modelLoad) {
        m.swaps.inc({ server: a.server.name, model: model.name });
        m.loadSeconds.inc({ server: a.server.name, model: model.name }, a.lease.modelLoad.ms / 1000);
      }
    }
    return committedStream({
      clock: this.o.clock,
      iterator: a.iterator,
      buffered: a.buffered,
      lease: a.lease,
      watchdog: a.watchdog,
      abort: a.abort,
      clientSignal: opts.signal,
      idleMs: this.o.fleet.gateway.timeouts.idleSeconds * 1000,
      totalDeadline,
      summary,
      onSuccess: () => {
        this.o.cooldowns.succeeded(model.name);
        m.cooldown.set({ model: model.name }, 0);
      },
      onFailure: () => {
        if (this.o.cooldowns.failed(model.name)) m.cooldown.set({ model: model.name }, 1);
      },
    });
  }
}

/**
 * The error of a chain of which no model answered: the last one's code, with every step and why
 * it was skipped or failed ("qwen-fast: mac-mini down since ...; claude-haiku: anthropic is
 * disabled: ..."), so the real cause is not hidden behind the last fallback's state.
 */
function everyStep(last: AppError, summary: ExecutionSummary, errors: readonly AppError[]): AppError {
  const why = new Map<string, string>();
  for (const a of summary.trail) {
    if (a.outcome === 'ok') continue;
    const reason = a.reason ?? a.code ?? a.outcome;
    why.set(a.model, reason.startsWith(`${a.model}: `) ? reason : `${a.model}: ${reason}`);
  }
  if (why.size < 2) return last;
  // the soonest any step may serve again
  const after = errors.map((e) => e.retryAfterSeconds).filter((s): s is number => s !== undefined);
  return new AppError(last.code, [...why.values()].join('; '), {
    ...(after.length > 0 ? { retryAfterSeconds: Math.min(...after) } : {}),
    ...(last.path !== undefined ? { path: last.path } : {}),
  });
}

/** every event of a committed answer, read to its end; a failure on the way is in the trail */
async function wholeAnswer(
  model: ModelConfig,
  committed: AsyncIterable<ChatEvent>,
  summary: ExecutionSummary,
): Promise<AsyncIterable<ChatEvent>> {
  const events: ChatEvent[] = [];
  try {
    for await (const e of committed) events.push(e);
  } catch (e) {
    const err = toAppError(e);
    summary.trail.push({ model: model.name, outcome: 'failed', reason: err.message, code: err.code });
    throw err;
  }
  const replay = events.values();
  return { [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve(replay.next()) }) };
}
