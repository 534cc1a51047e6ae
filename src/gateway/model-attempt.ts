// One try of one model: a lease from the scheduler (local models), the backend call, and the
// events up to the first content event, all under the connect / first-token / total timeouts.
// Until it returns nothing has reached the client, so any failure here may fall back.
import type { FleetConfig, ModelConfig, ServerConfig } from '../config/index.ts';
import type { ChatEvent, ChatRequest } from '../core/chat.ts';
import { AppError, toAppError } from '../core/errors/index.ts';
import type { Clock } from '../lib/clock.ts';
import { forwardAbort } from '../lib/forward-abort.ts';
import type { Lease, QueueInfo, SchedulerPort } from '../scheduler/scheduler-port.ts';
import { isLocalServer, type BackendResolver, type ChatBackend } from './chat-backend.ts';
import { timedWait, type ExecutionSummary } from './execution-summary.ts';
import type { ServerOutages } from './server-outages.ts';
import { Watchdog } from './watchdog.ts';

export interface AttemptContext {
  fleet: FleetConfig;
  clock: Clock;
  scheduler: SchedulerPort;
  backends: BackendResolver;
  /** local servers that requests could not reach; none are tracked when omitted */
  outages?: ServerOutages;
}

export interface AttemptInput {
  model: ModelConfig;
  request: ChatRequest;
  promptTokens: number;
  clientSignal: AbortSignal;
  totalDeadline: number;
  onQueued?: (info: QueueInfo) => void;
  onWaiting?: (e: Extract<ChatEvent, { type: 'waiting' }>) => void;
  summary: ExecutionSummary;
}

export interface OpenedAttempt {
  server: ServerConfig;
  local: boolean;
  lease?: Lease;
  iterator: AsyncIterator<ChatEvent>;
  buffered: ChatEvent[];
  watchdog: Watchdog;
  abort: (reason: unknown) => void;
}

const isContent = (e: ChatEvent): boolean => e.type !== 'start' && e.type !== 'waiting';

/** the servers of `model` that can take a request now: local ones not down, or cloud ones with a key */
export function usableServers(ctx: AttemptContext, model: ModelConfig): ServerConfig[] {
  return serversOf(ctx, model).filter((s) =>
    isLocalServer(s)
      ? ctx.outages?.outage(s.name) === undefined
      : ctx.backends.backendFor(s, model) !== undefined,
  );
}

function serversOf(ctx: AttemptContext, model: ModelConfig): ServerConfig[] {
  return model.servers.map((n) => ctx.fleet.servers.find((s) => s.name === n)!).filter(Boolean);
}

/** why none of `model`'s servers can take a request: "mac-mini down since ..., anthropic: ..." */
export function unusableReasons(ctx: AttemptContext, model: ModelConfig): string[] {
  return serversOf(ctx, model).map((s) =>
    isLocalServer(s)
      ? `${s.name} ${ctx.outages?.describe(s.name) ?? 'is usable'}`
      : `${s.name} is disabled: ${ctx.backends.disabledReason?.(s) ?? 'no API key'}`,
  );
}

const unreachable = new WeakMap<AppError, string>();

/** the local server an attempt's error says could not be reached, if any */
export function unreachableServer(err: AppError): string | undefined {
  return unreachable.get(err);
}

/**
 * Tags the error of an attempt that could not reach a local server (the caller marks it down
 * once it stops retrying). A failed load comes back from the scheduler before any lease names the
 * server: with one local server it is that one.
 */
function noteUnreachable(
  ctx: AttemptContext,
  model: ModelConfig,
  server: ServerConfig | undefined,
  err: AppError,
): void {
  if (err.code !== 'upstream_unavailable') return;
  const local = serversOf(ctx, model).filter(isLocalServer);
  const target = server ?? (local.length === 1 ? local[0] : undefined);
  if (target && isLocalServer(target)) unreachable.set(err, target.name);
}

export async function openAttempt(ctx: AttemptContext, input: AttemptInput): Promise<OpenedAttempt> {
  const { model, clientSignal } = input;
  const t = ctx.fleet.gateway.timeouts;
  const watchdog = new Watchdog(ctx.clock);
  const upstream = new AbortController();
  const abort = (reason: unknown): void => upstream.abort(reason);
  // the client going away and the watchdog firing abort the upstream call
  forwardAbort(clientSignal, upstream);
  forwardAbort(watchdog.signal, upstream);
  const signal = upstream.signal;
  let lease: Lease | undefined;
  let server: ServerConfig | undefined;
  let submitted = false;
  try {
    watchdog.arm(
      input.totalDeadline - ctx.clock.now(),
      'the request took longer than gateway.timeouts.totalSeconds',
    );
    const servers = usableServers(ctx, model);
    const local = servers.find(isLocalServer);
    if (local) {
      submitted = true;
      const granted = ctx.scheduler.submit({
        requestId: input.request.meta.requestId,
        model: model.name,
        alias: input.request.meta.alias,
        agentId: input.request.meta.agentId,
        sessionId: input.request.meta.sessionId,
        priority: input.request.meta.priority,
        promptTokens: input.promptTokens,
        maxOutputTokens: input.request.maxTokens,
        signal,
        onQueued: input.onQueued,
      });
      try {
        lease = await timedWait(input.summary, watchdog.race(granted));
      } catch (e) {
        // the watchdog can fire in the instant the lease is granted: the lease nobody holds must
        // still end, or its slot leaks
        granted.then(
          (l) => l.release({ ok: false, cancelled: true }),
          () => {},
        );
        throw e;
      }
      server = ctx.fleet.servers.find((s) => s.name === lease!.server) ?? local;
    } else {
      const cloud = servers[0];
      // its servers went down or disabled since the chain's check
      if (!cloud)
        throw new AppError(
          'upstream_unavailable',
          `${model.name}: ${unusableReasons(ctx, model).join('; ')}`,
        );
      server = cloud;
    }
    const backend: ChatBackend | undefined = ctx.backends.backendFor(server, model);
    if (!backend) throw new AppError('upstream_unavailable', `server ${server.name} is disabled`);
    const dispatched = ctx.clock.now();
    // A cloud API answers its headers at once, so no first event within connectSeconds means it is
    // unreachable. Ollama sends its first chunk only after load and prefill (minutes for a long
    // prompt on a 32B), so a local server gets the first-token timeout from the start; a refused
    // connection fails at once anyway.
    if (isLocalServer(server))
      watchdog.arm(
        Math.min(t.firstTokenSeconds * 1000, input.totalDeadline - dispatched),
        `no first token from ${server.name} within gateway.timeouts.firstTokenSeconds`,
      );
    else
      watchdog.arm(
        Math.min(t.connectSeconds * 1000, input.totalDeadline - dispatched),
        `no response from ${server.name} within gateway.timeouts.connectSeconds`,
      );
    const events = backend.chat({ ...input.request, model: model.name }, { signal });
    const iterator = events[Symbol.asyncIterator]();
    const buffered: ChatEvent[] = [];
    for (;;) {
      const r = await timedWait(input.summary, watchdog.race(iterator.next()));
      if (r.done) throw new AppError('upstream_error', `${server.name} ended the stream before any content`);
      if (r.value.type === 'waiting') input.onWaiting?.(r.value);
      else buffered.push(r.value);
      if (isContent(r.value)) break;
      // connected: from here the first-token timeout applies
      watchdog.arm(
        Math.min(
          t.firstTokenSeconds * 1000 - (ctx.clock.now() - dispatched),
          input.totalDeadline - ctx.clock.now(),
        ),
        `no first token from ${server.name} within gateway.timeouts.firstTokenSeconds`,
      );
    }
    if (isLocalServer(server)) ctx.outages?.reached(server.name);
    return { server, local: isLocalServer(server), lease, iterator, buffered, watchdog, abort };
  } catch (e) {
    watchdog.stop();
    const err = clientSignal.aborted ? new AppError('cancelled', 'the client went away') : toAppError(e);
    if (submitted && err.code !== 'cancelled') noteUnreachable(ctx, model, server, err);
    upstream.abort(err);
    lease?.release({ ok: false, cancelled: err.code === 'cancelled' });
    throw err;
  }
}
