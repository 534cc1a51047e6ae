// One process's share of a run: wires the fleet (emulated in process on a virtual clock, or real
// Ollama servers over HTTP), the gateway, the run log and the workspace, then executes. `start`
// plans and logs run_started; `resume` folds the log and goes on. The run's inputs (pipeline,
// fleet, emulation script) are read back from the log, so a resume does not depend on the files.
import { ConfigError, type ConfigProblem } from '../config/config-error.ts';
import { parseFleetText, type FleetConfig, type ServerConfig } from '../config/index.ts';
import type { CoreEvent } from '../emulator/core-types.ts';
import { inProcessFleet, type InProcessFleet } from '../emulator/in-process-fleet.ts';
import type { EngineTool, GatewayConnection } from '../engine/engine-types.ts';
import { openKnowledgeStore, type KnowledgeStore } from '../store/knowledge-store.ts';
import type { EngineParts } from './engine-port.ts';
import { ManualClock, systemClock, type Clock } from '../lib/clock.ts';
import { randomIds, sequentialIds, type IdGenerator } from '../lib/ids.ts';
import type { StrategyName } from '../planner/index.ts';
import type { SchedulerPort } from '../scheduler/scheduler-port.ts';
import type { UsageStore } from '../store/index.ts';
import type { RunStore } from '../store/run-store.ts';
import { knowledgeEmbedder } from './knowledge-embedder.ts';
import { privateGateway } from './private-gateway.ts';
import { executeRun } from './run-executor.ts';
import type { AliasUsage, LoggedEvent, PlannedLoad, RunInputs } from './run-events.ts';
import { RunLog, readRun } from './run-log.ts';
import { parseRunPipelineText, type RunPipeline } from './run-pipeline.ts';
import { planRun, replanOrder } from './run-plan.ts';
import type { RunView } from './run-state.ts';
import { openWorkspace, prepareWorkspace } from './run-workspace.ts';
import { IoTracker, runVirtualWithIo } from './virtual-run.ts';

/** what a session reports while it runs (progress views) */
export interface SessionHooks {
  onEvent?: (event: LoggedEvent, view: RunView) => void;
  /** residency changes of emulated servers */
  onResidency?: (server: string, event: CoreEvent) => void;
  /** what each server holds as the gateway's scheduler sees it (real or emulated), on every change */
  onServers?: (servers: readonly ServerResidency[]) => void;
  /** the emulated servers once they exist (tests inject faults through them) */
  onEmulators?: (emulators: InProcessFleet, clock: Clock) => void;
}

export interface ServerResidency {
  name: string;
  resident: string[];
  loading?: string;
}

/** the gateway in process (app.ts composeGateway): injected, app.ts is a composition root */
export type ComposeGateway = (o: {
  fleet: FleetConfig;
  clock: Clock;
  env: Readonly<Record<string, string | undefined>>;
  fetchFor?: (server: ServerConfig) => typeof fetch;
  store?: UsageStore;
  ids?: IdGenerator;
}) => Promise<{
  gateway: { app: { fetch: (request: Request) => Response | Promise<Response> } };
  scheduler?: Pick<SchedulerPort, 'snapshot' | 'subscribe'>;
}>;

export interface SessionDeps {
  composeGateway: ComposeGateway;
  store: RunStore;
  usage: UsageStore;
  engine: EngineParts;
  env: Readonly<Record<string, string | undefined>>;
  signal: AbortSignal;
  hooks?: SessionHooks;
  /** real-time clock for runs against real servers (default systemClock) */
  clock?: Clock;
  ids?: IdGenerator;
  /** pid recorded as the run's executor */
  pid?: number;
}

export function newRunId(now: number, ids: IdGenerator = randomIds): string {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').slice(0, 15);
  return `run-${stamp}-${ids('x').slice(-6)}`;
}

/** Plans the pipeline and logs run_started; returns the run id (nothing executes yet). */
export function createRun(
  store: RunStore,
  inputs: RunInputs,
  o: { now: number; runId?: string; strategy?: StrategyName },
): string {
  const pipeline = parseRunPipelineText(inputs.pipelineText, inputs.pipelineFile);
  const fleet = parseFleetText(inputs.fleetText, inputs.fleetFile, { env: {} });
  checkSpecialists(pipeline, fleet, inputs.pipelineFile);
  const { plan } = planRun(pipeline.planned, fleet, inputs.pipelineFile, o.strategy);
  const runId = o.runId ?? newRunId(o.now);
  const workspace = prepareWorkspace(
    inputs.workspace,
    checkpointsDir(inputs.workspace),
    pipeline.workspaceTemplate,
  );
  store.append(runId, {
    at: o.now,
    source: 'runner',
    agent: null,
    attempt: null,
    type: 'run_started',
    body: { type: 'run_started', name: pipeline.name, inputs, plan },
  });
  store.append(runId, {
    at: o.now,
    source: 'runner',
    agent: null,
    attempt: null,
    type: 'checkpoint',
    body: { type: 'checkpoint', agent: '(start)', id: 'initial', path: workspace.checkpoint('initial') },
  });
  return runId;
}

export function checkpointsDir(workspace: string): string {
  return `${workspace.replace(/\/+$/, '')}.checkpoints`;
}

/** every specialist and the arbiter name a model or alias of the fleet */
function checkSpecialists(pipeline: RunPipeline, fleet: FleetConfig, file: string): void {
  const models = fleet.models.map((m) => m.name);
  const aliases = Object.keys(fleet.aliases);
  const known = new Set([...models, ...aliases]);
  const expected = `expected one of the models ${models.join(', ')}${aliases.length ? ` or the aliases ${aliases.join(', ')}` : ''}`;
  const problems: ConfigProblem[] = [];
  pipeline.agents.forEach((a, i) =>
    a.specialists.forEach((s, j) => {
      if (known.has(s)) return;
      // specialists default to the agent's model: name the key the user wrote
      const path = a.specialistsGiven ? `agents[${i}].specialists[${j}]` : `agents[${i}].model`;
      problems.push({ path, message: `${expected}, found ${JSON.stringify(s)} (agent ${a.id})` });
    }),
  );
  if (pipeline.arbiter !== undefined && !known.has(pipeline.arbiter))
    problems.push({ path: 'arbiter', message: `${expected}, found ${JSON.stringify(pipeline.arbiter)}` });
  if (problems.length > 0) throw new ConfigError(file, problems);
}

/** Executes the run from wherever its log ends, until it finishes, waits or is interrupted. */
export async function continueRun(runId: string, deps: SessionDeps): Promise<RunView> {
  const { view } = readRun(deps.store, runId);
  if (!view.inputs) throw new Error(`no run ${runId} in ${deps.store.path}`);
  const inputs = view.inputs;
  const pipeline = parseRunPipelineText(inputs.pipelineText, inputs.pipelineFile);
  const fleet = parseFleetText(inputs.fleetText, inputs.fleetFile, { env: deps.env });
  const pid = deps.pid ?? process.pid;
  deps.store.claim(runId, pid, Date.now());
  const emulated = inputs.emulated;
  // a virtual clock starts where the log ends, so event times keep increasing across resumes
  const clock: Clock = emulated
    ? new ManualClock((view.updatedAt ?? Date.UTC(2026, 0, 1)) + 1)
    : (deps.clock ?? systemClock);
  let emulators: InProcessFleet | undefined;
  const loads: PlannedLoad[] = [];
  const loading = new Map<string, number>();
  const onResidency = (server: string, e: CoreEvent): void => {
    if (e.type === 'load_started') loading.set(`${server}\u0000${e.model}`, e.at);
    if (e.type === 'loaded')
      loads.push({
        server,
        model: e.model,
        start: loading.get(`${server}\u0000${e.model}`) ?? e.at,
        end: e.at,
      });
    deps.hooks?.onResidency?.(server, e);
  };
  let log: RunLog | undefined;
  let knowledge: KnowledgeStore | undefined;
  let unwatch: (() => void) | undefined;
  try {
    if (emulated) {
      emulators = inProcessFleet(fleet, {
        clock,
        ids: () => sequentialIds(),
        onEvent: onResidency,
      });
      deps.hooks?.onEmulators?.(emulators, clock);
    }
    const fleetEmulators = emulators;
    const composed = await deps.composeGateway({
      ...privateGateway(fleet, emulated ? {} : deps.env),
      clock,
      ...(fleetEmulators ? { fetchFor: (s) => fleetEmulators.fetchFor(s) } : {}),
      store: deps.usage,
      ids: deps.ids ?? randomIds,
    });
    unwatch = watchServers(composed.scheduler, deps.hooks?.onServers);
    log = new RunLog({
      store: deps.store,
      runId,
      clock,
      ...(deps.hooks?.onEvent ? { onEvent: deps.hooks.onEvent } : {}),
    });
    const gatewayFetch: typeof fetch = (input, init) =>
      Promise.resolve(composed.gateway.app.fetch(new Request(input, init)));
    const models: GatewayConnection = { baseURL: 'http://orchestra.run/v1', fetch: gatewayFetch };
    const workspace = openWorkspace(inputs.workspace, checkpointsDir(inputs.workspace));
    const io = new IoTracker();
    // notes flow between the run's agents; one project per run keeps other runs' notes out. The
    // embedding model is called from inside the note tools, whose I/O holds the virtual clock
    // still: its gateway calls let the clock run, or the emulated model could never answer.
    const embedder = knowledgeEmbedder(fleet, {
      fetch: (input, init) => io.untracked(() => gatewayFetch(input, init)),
      runId,
      clock,
    });
    const notes = openKnowledgeStore({
      path: deps.store.path,
      project: runId,
      clock,
      ...(embedder ? { embedder } : {}),
    });
    knowledge = notes;
    const task = executeRun({
      io,
      log,
      pipeline,
      fleet,
      runAgent: deps.engine.runAgent,
      ...(deps.engine.repair ? { repair: deps.engine.repair } : {}),
      models,
      toolsFor: (agent, ws) =>
        deps.engine
          .toolsFor(agent.tools, ws.dir, runId, { knowledge: notes, env: deps.env, clock })
          .map((t) => trackedTool(t, io)),
      workspace,
      clock,
      ids: deps.ids ?? randomIds,
      signal: deps.signal,
      replan: (remaining) => replanOrder(pipeline.planned, fleet, remaining),
    });
    return clock instanceof ManualClock ? await runVirtualWithIo(clock, io, task) : await task;
  } finally {
    unwatch?.();
    if (log) recordUsage(log, deps.usage, fleet, loads);
    emulators?.close();
    knowledge?.close();
    deps.store.release(runId, pid);
  }
}

/** calls `onServers` with the scheduler's residency whenever it changes; returns the unsubscribe */
function watchServers(
  scheduler: Pick<SchedulerPort, 'snapshot' | 'subscribe'> | undefined,
  onServers: ((servers: readonly ServerResidency[]) => void) | undefined,
): (() => void) | undefined {
  if (!scheduler?.subscribe || !onServers) return undefined;
  let last = '';
  const report = (): void => {
    const servers = scheduler.snapshot().servers.map((s) => ({
      name: s.name,
      resident: [...s.resident],
      ...(s.loading ? { loading: s.loading } : {}),
    }));
    const key = JSON.stringify(servers);
    if (key === last) return;
    last = key;
    onServers(servers);
  };
  report();
  return scheduler.subscribe(report);
}

/** a tool whose real I/O holds the virtual clock still */
function trackedTool(tool: EngineTool<never>, io: IoTracker): EngineTool<never> {
  return { ...tool, execute: (input, context) => io.track(() => tool.execute(input, context)) };
}

/** this session's gateway usage per alias and the loads seen, as one event (when there was any) */
function recordUsage(log: RunLog, usage: UsageStore, fleet: FleetConfig, loads: PlannedLoad[]): void {
  const rows = usage.recent(1_000_000);
  if (rows.length === 0 && loads.length === 0) return;
  const per = new Map<string, AliasUsage>();
  for (const r of rows) {
    const alias = r.alias ?? r.model ?? '(none)';
    const u = per.get(alias) ?? {
      alias,
      requests: 0,
      errors: 0,
      inputTokens: 0,
      outputTokens: 0,
      localInputTokens: 0,
      localOutputTokens: 0,
      queueMs: 0,
      maxQueueMs: 0,
      loadMs: 0,
    };
    const ok = r.status < 400;
    per.set(alias, {
      ...u,
      requests: u.requests + 1,
      errors: u.errors + (ok ? 0 : 1),
      inputTokens: u.inputTokens + r.inputTokens,
      outputTokens: u.outputTokens + r.outputTokens,
      localInputTokens: u.localInputTokens + (r.local && ok ? r.inputTokens : 0),
      localOutputTokens: u.localOutputTokens + (r.local && ok ? r.outputTokens : 0),
      queueMs: u.queueMs + r.queueMs,
      maxQueueMs: Math.max(u.maxQueueMs, r.queueMs),
      loadMs: u.loadMs + r.loadMs,
    });
  }
  void fleet;
  log.append({ type: 'usage', perAlias: [...per.values()], loads });
}
