// The engine on the emulated fleet, in process on the manual clock: the engine's AI SDK calls go
// to the gateway's fetch, the gateway schedules them on emulated Ollama servers whose replies are
// scripted per role. Only the replies are scripted; gateway, scheduler and engine are real.
import { z } from 'zod';
import type { FleetConfig } from '../../src/config/index.ts';
import type { ResponderInput, ResponderOutput } from '../../src/emulator/responders/responder.ts';
import type {
  AgentOutcome,
  AgentSpec,
  EngineEvent,
  EngineLog,
  EngineTool,
  SpecialistSpec,
  ToolCallRepair,
} from '../../src/engine/engine-types.ts';
import { runAgent } from '../../src/engine/engine.ts';
import { sequentialIds } from '../../src/lib/ids.ts';
import { gatewayConnection } from '../../src/engine/gateway-connection.ts';
import { e2eFleet, gatewayHarness, type GatewayHarness } from '../e2e/gateway-harness.ts';
import { listenOnLoopback, untilOverSockets } from './http-gateway.ts';

/** gatewayRepair 'off' makes the gateway hand the engine specialists' replies as the model wrote them */
export function engineFleet(gatewayRepair?: 'off'): FleetConfig {
  const alias = (model: string) =>
    gatewayRepair ? { models: [model], tool_calls: { repair: gatewayRepair } } : [model];
  return e2eFleet({
    aliases: {
      arbiter: alias('qwen2.5:7b'),
      coder: alias('qwen2.5-coder:32b'),
      tester: alias('qwen2.5:7b'),
      reviewer: alias('qwen2.5:7b'),
    },
    gateway: { retries: { attempts: 0, backoffSeconds: 1 } },
  });
}

export const SPECIALISTS: SpecialistSpec[] = [
  {
    name: 'coder',
    alias: 'coder',
    role: 'the coder: writes code.',
    contextWindow: 8192,
    temperature: 0.2,
    tools: ['write_file', 'read_file'],
  },
  {
    name: 'tester',
    alias: 'tester',
    role: 'the tester: writes tests.',
    contextWindow: 8192,
    temperature: 0.2,
    tools: ['write_file', 'read_file'],
  },
  {
    name: 'reviewer',
    alias: 'reviewer',
    role: 'the reviewer: judges designs.',
    contextWindow: 8192,
    temperature: 0.2,
    tools: [],
  },
];

export function agentSpec(extra: Partial<AgentSpec> = {}): AgentSpec {
  return {
    runId: 'run1',
    agentId: 'implementer',
    role: 'Implement the calculator.',
    instructions: 'Write src/add.ts exporting add(a, b).',
    arbiter: { alias: 'arbiter', contextWindow: 8192 },
    specialists: SPECIALISTS,
    ...extra,
  };
}

/** A reply script: the n-th call (0-based) of this role gets `replies[n]` (the last one repeats). */
export type Reply =
  string | ResponderOutput | ((input: ResponderInput, n: number) => string | ResponderOutput);

export interface Scripts {
  arbiter: Reply[];
  [specialist: string]: Reply[];
}

export class MemoryLog implements EngineLog {
  readonly list: EngineEvent[];
  /** throws (a crash) when asked to append the event after this many appends */
  crashAfter: number | undefined;

  constructor(events: EngineEvent[] = []) {
    this.list = [...events];
  }

  events(): readonly EngineEvent[] {
    return this.list;
  }

  append(event: EngineEvent): void {
    if (this.crashAfter !== undefined && this.list.length >= this.crashAfter) throw new Error('crash (test)');
    this.list.push(structuredClone(event));
  }
}

export class MemoryFiles {
  readonly files = new Map<string, string>();
  /** the idempotency key of every executed write */
  readonly keys: string[] = [];
  writes = 0;

  tools(): EngineTool<never>[] {
    const write: EngineTool<{ path: string; content: string }> = {
      name: 'write_file',
      description: 'Write a file of the workspace.',
      inputSchema: z.object({ path: z.string().min(1), content: z.string() }),
      sideEffects: true,
      execute: (input, context) => {
        this.writes++;
        this.keys.push(context.idempotencyKey);
        this.files.set(input.path, input.content);
        return Promise.resolve({ ok: true, output: `wrote ${input.path}`, filesChanged: [input.path] });
      },
    };
    const read: EngineTool<{ path: string }> = {
      name: 'read_file',
      description: 'Read a file of the workspace.',
      inputSchema: z.object({ path: z.string().min(1) }),
      sideEffects: false,
      execute: (input) => {
        const content = this.files.get(input.path);
        return Promise.resolve(
          content === undefined
            ? { ok: false, output: `no file ${input.path}` }
            : { ok: true, output: content },
        );
      },
    };
    return [write, read] as unknown as EngineTool<never>[];
  }
}

export interface EngineHarness {
  gateway: GatewayHarness;
  files: MemoryFiles;
  /** every request each role received, in order */
  seen: Map<string, ResponderInput[]>;
  /** the JSON body of every request the engine sent the gateway, in order */
  bodies: Record<string, unknown>[];
  run(
    spec: AgentSpec,
    log?: MemoryLog,
    signal?: AbortSignal,
  ): Promise<{ outcome: AgentOutcome; log: MemoryLog }>;
  close(): void;
}

export async function engineHarness(
  scripts: Scripts,
  specialists: SpecialistSpec[] = SPECIALISTS,
  options: {
    repair?: ToolCallRepair;
    tools?: EngineTool<never>[];
    gatewayRepair?: 'off';
    /** the gateway on a loopback socket with this master key; the engine calls it over HTTP */
    http?: { masterKey: string; engineKey?: string };
  } = {},
): Promise<EngineHarness> {
  const seen = new Map<string, ResponderInput[]>();
  const respond = (input: ResponderInput): ResponderOutput => {
    const role = roleOf(input, specialists);
    const list = seen.get(role) ?? [];
    list.push(input);
    seen.set(role, list);
    const script = scripts[role] ?? [];
    const reply = script[Math.min(list.length - 1, script.length - 1)];
    if (reply === undefined) throw new Error(`engine harness: no script for ${role}`);
    const out = typeof reply === 'function' ? reply(input, list.length - 1) : reply;
    return typeof out === 'string' ? { content: out } : out;
  };
  const http = options.http;
  const gateway = await gatewayHarness({
    fleet: engineFleet(options.gatewayRepair),
    responder: respond,
    ...(http ? { env: { ORCHESTRA_MASTER_KEY: http.masterKey } } : {}),
  });
  const server = http ? await listenOnLoopback(gateway.fetch) : undefined;
  const connection = server
    ? gatewayConnection({ url: server.url, apiKey: http?.engineKey ?? http!.masterKey })
    : gatewayConnection({ app: { fetch: gateway.fetch } });
  const bodies: Record<string, unknown>[] = [];
  const send = connection.fetch ?? globalThis.fetch;
  const models = {
    ...connection,
    fetch: (input: string | URL | Request, init?: RequestInit) => {
      if (typeof init?.body === 'string') bodies.push(JSON.parse(init.body) as Record<string, unknown>);
      return send(input, init);
    },
  };
  const until = <T>(p: Promise<T>): Promise<T> =>
    server ? untilOverSockets(gateway.clock, p) : gateway.until(p);
  const files = new MemoryFiles();
  return {
    gateway,
    files,
    seen,
    bodies,
    async run(spec, log = new MemoryLog(), signal) {
      const outcome = await until(
        runAgent(spec, {
          log,
          models,
          tools: options.tools ?? files.tools(),
          clock: gateway.clock,
          ids: sequentialIds(),
          ...(options.repair ? { repair: options.repair } : {}),
          ...(signal ? { signal } : {}),
        }),
      );
      return { outcome, log };
    },
    close: () => {
      server?.close();
      gateway.close();
    },
  };
}

/** arbiter calls ask for structured output; a specialist is known by the role in its system prompt */
function roleOf(input: ResponderInput, specialists: SpecialistSpec[]): string {
  if (input.format !== undefined) return 'arbiter';
  const system = input.messages.find((m) => m.role === 'system')?.content ?? '';
  return specialists.find((s) => system.startsWith(`You are ${s.role}`))?.name ?? 'unknown';
}

export const json = (value: unknown): string => JSON.stringify(value);

export function types(log: MemoryLog): string[] {
  return log.list.map((e) => e.type);
}

export function decisions(log: MemoryLog): Extract<EngineEvent, { type: 'decision' }>[] {
  return log.list.filter((e): e is Extract<EngineEvent, { type: 'decision' }> => e.type === 'decision');
}
