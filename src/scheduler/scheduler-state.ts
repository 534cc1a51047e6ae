// The scheduler's state: per server, every model it can hold (phase, queue, in-flight work), the
// current visit and gate, and the requests known. Plain data; policies mutate it in place inside
// decide() (copying it per event would cap the simulator far below a million events per second),
// so a caller that needs the old state clones it first (structuredClone works).
import { AppError } from '../core/errors/index.ts';
import type { FleetCosts } from '../cost/model-costs.ts';
import type { PolicyOptions, SchedRequest } from './scheduler-types.ts';

/**
 * Named agents (or sessions) whose home server, cached context and previous prompt are remembered,
 * the most recently seen kept: ids are client-chosen and unbounded over a gateway's life.
 */
export const MAX_REMEMBERED_AGENTS = 10_000;

export type ModelPhase = 'absent' | 'loading' | 'resident' | 'unloading';

export interface ModelState {
  model: string;
  memoryGiB: number;
  loadMs: number;
  /** prompt tokens per ms, to price the re-prefill of evicted contexts */
  prefillPerMs: number;
  phase: ModelPhase;
  /** waiting requests, priority then FCFS (for ollama: admitted to the runner, waiting for a slot) */
  queue: SchedRequest[];
  /** predicted end (ms) of each running request */
  running: Map<string, number>;
  /** requests of the gate (GXA) not yet completed */
  gateOpen: Set<string>;
  /** GXA: a swap away from this model was decided; it takes no new work */
  gateClosed: boolean;
  /** ollama: keep-alive set to 0 by choose(); unloads when its refCount reaches 0 */
  victim: boolean;
  /** ollama: idle unload time (keep-alive), ms; Infinity when busy */
  expiresAtMs: number;
  /** context tokens per agent served since the load: what an eviction throws away */
  cached: Map<string, number>;
  /** decayed arrival count (demand estimate) and when it was last updated */
  demand: number;
  demandAtMs: number;
  lastUsedMs: number;
  /** when the current load finished, ms */
  loadedAtMs: number;
  /** agents between two turns on this model and when they are expected back at the latest, ms */
  returning: Map<string, number>;
}

export interface ServerState {
  name: string;
  memoryGiB: number;
  /** slots per loaded model (OLLAMA_NUM_PARALLEL) */
  parallel: number;
  maxLoaded: number;
  queueMax: number;
  models: Map<string, ModelState>;
  /** arrival-order queue of the FIFO baselines (ollama's global queue, llama-swap) */
  fifo: SchedRequest[];
  /** the one outstanding load or unload (DESIGN.md: at most one per server) */
  pending?: { kind: 'load' | 'unload'; model: string };
  /** GXA: the model a committed swap will load once the victims are gone */
  swapTarget?: string;
  /** the exclusive model being visited and since when */
  visit?: { model: string; startMs: number };
  lastSwapMs: number;
  /** GXA: D_min as computed when the current visit began */
  minVisit?: { since: number; ms: number };
  /** ollama: the victim chosen for the FIFO head, until it is unloaded */
  victimFor?: string;
  /** busy-time estimate for rho: decayed busy and total ms */
  busyMs: number;
  spanMs: number;
  lastEventMs: number;
  /** exhaustive: the last model visited, for cyclic polling order */
  cursor: number;
  /** predicted ms of service of every request queued on the server (kept by decide and dispatch) */
  queuedWorkMs: number;
}

export interface RequestRecord {
  request: SchedRequest;
  server: string;
  status: 'queued' | 'running';
}

export interface SchedulerState {
  policy: string;
  options: PolicyOptions;
  servers: ServerState[];
  byName: Map<string, ServerState>;
  /** model -> servers that can hold it (and fit it in memory) */
  modelServers: Map<string, string[]>;
  /** model -> the states of `modelServers`' servers, same order (routing's candidates, built once) */
  modelCandidates: Map<string, ServerState[]>;
  requests: Map<string, RequestRecord>;
  /** agent -> the server its context lives on (affinity) */
  home: Map<string, string>;
}

export interface InitialResidency {
  /** server -> models loaded at the start */
  [server: string]: readonly string[];
}

export function createSchedulerState(
  policy: string,
  costs: FleetCosts,
  options: PolicyOptions,
  resident: InitialResidency = {},
): SchedulerState {
  const servers: ServerState[] = [];
  for (const s of costs.servers.values()) {
    servers.push({
      name: s.server,
      memoryGiB: s.memoryGiB,
      parallel: s.parallel,
      maxLoaded: s.maxLoadedModels,
      queueMax: s.queueMax,
      models: new Map(),
      fifo: [],
      lastSwapMs: -Infinity,
      busyMs: 0,
      spanMs: 0,
      lastEventMs: 0,
      cursor: 0,
      queuedWorkMs: 0,
      // every optional field present from the start: server objects then keep one hidden class
      // (fields added later in differing orders made the hot paths polymorphic)
      pending: undefined,
      swapTarget: undefined,
      visit: undefined,
      minVisit: undefined,
      victimFor: undefined,
    });
  }
  const byName = new Map(servers.map((s) => [s.name, s]));
  const modelServers = new Map<string, string[]>();
  for (const c of costs.models.values()) {
    const server = byName.get(c.server)!;
    server.models.set(c.model, newModelState(c.model, c.memoryGiB, c.loadSeconds, c.prefillTokensPerSecond));
    if (c.memoryGiB <= server.memoryGiB) {
      const list = modelServers.get(c.model) ?? [];
      list.push(c.server);
      modelServers.set(c.model, list);
    } else if (!modelServers.has(c.model)) modelServers.set(c.model, []);
  }
  for (const [sn, models] of Object.entries(resident)) {
    const server = byName.get(sn);
    for (const m of models) {
      const ms = server?.models.get(m);
      if (!server || !ms)
        throw new AppError('unschedulable', `model ${m} cannot be resident on server ${sn}`);
      ms.phase = 'resident';
      server.visit = { model: m, startMs: 0 };
    }
    if (server && usedGiB(server) > server.memoryGiB + 1e-9)
      throw new AppError(
        'unschedulable',
        `the models resident on ${sn} (${models.join(', ')}) exceed its memory`,
      );
  }
  const modelCandidates = new Map<string, ServerState[]>();
  for (const [model, names] of modelServers)
    modelCandidates.set(
      model,
      names.map((n) => byName.get(n)!),
    );
  return {
    policy,
    options,
    servers,
    byName,
    modelServers,
    modelCandidates,
    requests: new Map(),
    home: new Map(),
  };
}

function newModelState(
  model: string,
  memoryGiB: number,
  loadSeconds: number,
  prefillTps: number,
): ModelState {
  return {
    model,
    memoryGiB,
    loadMs: loadSeconds * 1000,
    prefillPerMs: prefillTps / 1000,
    phase: 'absent',
    queue: [],
    running: new Map(),
    gateOpen: new Set(),
    gateClosed: false,
    victim: false,
    expiresAtMs: Infinity,
    cached: new Map(),
    demand: 0,
    demandAtMs: 0,
    lastUsedMs: -Infinity,
    loadedAtMs: 0,
    returning: new Map(),
  };
}

/** GiB taken by models loaded, loading or still unloading */
export function usedGiB(server: ServerState): number {
  let used = 0;
  for (const ms of server.models.values()) if (ms.phase !== 'absent') used += ms.memoryGiB;
  return used;
}

export function loadedCount(server: ServerState): number {
  let n = 0;
  for (const ms of server.models.values()) if (ms.phase !== 'absent') n++;
  return n;
}

export function fitsNow(server: ServerState, ms: ModelState): boolean {
  return usedGiB(server) + ms.memoryGiB <= server.memoryGiB + 1e-9 && loadedCount(server) < server.maxLoaded;
}
