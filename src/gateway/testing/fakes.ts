// Small fakes for the gateway's unit tests: a scheduler that leases at once (or fails on demand)
// and scripted backends on the injected clock. Real e2e tests use the emulator and the real scheduler.
import {
  FleetSchema,
  type FleetConfig,
  type FleetInput,
  type ModelConfig,
  type ServerConfig,
} from '../../config/index.ts';
import type { ChatEvent, ChatRequest } from '../../core/chat.ts';
import { AppError } from '../../core/errors/index.ts';
import type { Clock } from '../../lib/clock.ts';
import type {
  Lease,
  LeaseOutcome,
  QueueSnapshot,
  SchedulerPort,
  SubmitRequest,
} from '../../scheduler/scheduler-port.ts';
import type { BackendResolver, ChatBackend } from '../chat-backend.ts';

export interface FakeScheduler extends SchedulerPort {
  releases: Array<{ requestId: string; model: string; outcome: LeaseOutcome }>;
  submitted: SubmitRequest[];
  /** model -> error thrown by submit (load failure, admission refusal) */
  failWith: Map<string, AppError>;
  /** ms of (manual) clock time a submit waits, reported as loadMs */
  loadMs: number;
}

export function fakeScheduler(clock: Clock, fleet: FleetConfig): FakeScheduler {
  const s: FakeScheduler = {
    releases: [],
    submitted: [],
    failWith: new Map(),
    loadMs: 0,
    async submit(req) {
      s.submitted.push(req);
      const fail = s.failWith.get(req.model);
      if (fail) throw fail;
      req.onQueued?.({ position: 1, etaMs: s.loadMs, loading: s.loadMs > 0 });
      if (s.loadMs > 0) await clock.sleep(s.loadMs, req.signal);
      const model = fleet.models.find((m) => m.name === req.model)!;
      let released = false;
      const lease: Lease = {
        requestId: req.requestId,
        server: model.servers[0]!,
        model: req.model,
        queuedMs: s.loadMs,
        loadMs: s.loadMs,
        release(outcome) {
          if (released) return;
          released = true;
          s.releases.push({ requestId: req.requestId, model: req.model, outcome });
        },
      };
      return lease;
    },
    snapshot(): QueueSnapshot {
      return { servers: [], policy: 'fake', waitTargetMs: 300_000, atMs: clock.now() };
    },
  };
  return s;
}

export interface ScriptStep {
  /** ms to wait before this event */
  after?: number;
  event?: ChatEvent;
  /** throw this instead of yielding */
  error?: AppError;
}

/** a backend that plays `script(model)` on the clock and honours the abort signal */
export function scriptedBackends(
  clock: Clock,
  script: (model: ModelConfig, server: ServerConfig, request: ChatRequest) => ScriptStep[],
  disabled: ReadonlySet<string> = new Set(),
): BackendResolver & { calls: Array<{ model: string; server: string; signal: AbortSignal }> } {
  const calls: Array<{ model: string; server: string; signal: AbortSignal }> = [];
  return {
    calls,
    backendFor(server, model): ChatBackend | undefined {
      if (disabled.has(server.name)) return undefined;
      return {
        async *chat(request, { signal }) {
          calls.push({ model: model.name, server: server.name, signal });
          for (const step of script(model, server, request)) {
            if (step.after) await clock.sleep(step.after, signal);
            if (signal.aborted) throw new AppError('cancelled', 'aborted');
            if (step.error) throw step.error;
            if (step.event) yield step.event;
          }
        },
      };
    },
  };
}

export function textReply(text: string, model: string): ScriptStep[] {
  return [
    { event: { type: 'start', model } },
    { after: 10, event: { type: 'text', delta: text } },
    {
      after: 10,
      event: {
        type: 'done',
        finishReason: 'stop',
        usage: { inputTokens: 5, outputTokens: 2 },
        timings: { totalMs: 20, loadMs: 0, prefillMs: 10, decodeMs: 10 },
      },
    },
  ];
}

export function testFleet(extra: Partial<FleetInput> = {}): FleetConfig {
  return FleetSchema.parse({
    servers: [
      { name: 'local', url: 'http://127.0.0.1:11434', memoryGiB: 20 },
      { name: 'cloud', url: 'https://api.anthropic.com', kind: 'anthropic', apiKeyEnv: 'ANTHROPIC_API_KEY' },
    ],
    models: [
      { name: 'big', memoryGiB: 10, contextTokens: 1000, servers: ['local'] },
      { name: 'small', memoryGiB: 2, contextTokens: 4000, servers: ['local'] },
      {
        name: 'claude',
        servers: ['cloud'],
        contextTokens: 200000,
        price: { inputPerMTok: 3, outputPerMTok: 15 },
      },
    ],
    aliases: { coder: ['big', 'small', 'claude'] },
    gateway: {
      retries: { attempts: 0, backoffSeconds: 1 },
      timeouts: { connectSeconds: 5, firstTokenSeconds: 30, idleSeconds: 10, totalSeconds: 600 },
    },
    ...extra,
  });
}
