// Turns a parsed pipeline and a fleet into the planner's indexed problem, with the shared cost
// model (src/cost) for load times, memory and token work. Problems name the agent and model.
import { ConfigError, type ConfigProblem } from '../config/config-error.ts';
import type { FleetConfig } from '../config/schema.ts';
import {
  costKey,
  costsOf,
  resolveModelCosts,
  serviceSeconds,
  type FleetCosts,
  type ModelCosts,
} from '../cost/model-costs.ts';
import { EPS, type PlanProblem, type PlanServer, type PlanTask } from './problem.ts';
import { parseDuration, type AgentSpec, type Pipeline } from './pipeline-schema.ts';

const MAX_MODELS = 30;

export function buildProblem(pipeline: Pipeline, fleet: FleetConfig, file = 'pipeline'): PlanProblem {
  const costs = resolveModelCosts(fleet);
  const serverNames = [...costs.servers.keys()];
  if (serverNames.length === 0)
    throw new ConfigError(file, [
      { path: '', message: 'the fleet has no local (ollama) server to plan for' },
    ]);
  const problems: ConfigProblem[] = [];
  const modelOfAgent = pipeline.agents.map((a, i) =>
    resolveAgentModel(a, i, fleet, costs, serverNames, problems),
  );
  pipeline.agents.forEach((a, i) => {
    if (a.fallback !== undefined && !knownName(fleet, a.fallback))
      problems.push({
        path: `agents[${i}].fallback`,
        message: `agent ${a.id}: unknown fallback model ${JSON.stringify(a.fallback)} (${knownList(fleet)})`,
      });
  });
  if (problems.length > 0) throw new ConfigError(file, problems);

  const residentModels = fleet.servers.filter((s) => costs.servers.has(s.name)).flatMap((s) => s.resident);
  const models = [...new Set([...(modelOfAgent as string[]), ...residentModels])];
  if (models.length > MAX_MODELS)
    throw new ConfigError(file, [
      { path: 'agents', message: `the planner handles at most ${MAX_MODELS} models, found ${models.length}` },
    ]);
  const servers = serverNames.map((name) => planServer(name, fleet, costs, models));
  const index = new Map(pipeline.agents.map((a, i) => [a.id, i]));
  const succs: number[][] = pipeline.agents.map(() => []);
  pipeline.agents.forEach((a, i) => a.after.forEach((d) => succs[index.get(d)!]!.push(i)));
  const tasks: PlanTask[] = pipeline.agents.map((a, i) => {
    const model = models.indexOf(modelOfAgent[i]!);
    return {
      id: a.id,
      model,
      durations: servers.map((s) =>
        s.loadSeconds[model] === undefined ? undefined : workSeconds(a, s.name, models[model]!, costs),
      ),
      preds: [...new Set(a.after.map((d) => index.get(d)!))],
      succs: succs[i]!,
      priority: a.priority,
    };
  });
  return { name: pipeline.name, models, servers, tasks, topo: topoOrder(tasks) };
}

function planServer(name: string, fleet: FleetConfig, costs: FleetCosts, models: string[]): PlanServer {
  const sc = costs.servers.get(name)!;
  const cfg = fleet.servers.find((s) => s.name === name)!;
  const held = models.map((m) => costs.models.get(costKey(name, m)));
  // A model that cannot fit even alone is as good as not held.
  const usable = held.map((c) => (c && c.memoryGiB <= sc.memoryGiB + EPS ? c : undefined));
  let initialMask = 0;
  for (const r of cfg.resident) if (models.includes(r)) initialMask |= 1 << models.indexOf(r);
  return {
    name,
    memoryGiB: sc.memoryGiB,
    maxLoaded: sc.maxLoadedModels,
    initialMask,
    loadSeconds: usable.map((c) => c?.loadSeconds),
    memoryOf: usable.map((c) => c?.memoryGiB ?? NaN),
    signature: JSON.stringify([sc.memoryGiB, sc.maxLoadedModels, sc.parallel, usable.map(costSignature)]),
  };
}

function costSignature(c: ModelCosts | undefined): unknown {
  return c ? [c.loadSeconds, c.memoryGiB, c.prefillTokensPerSecond, c.decodeTokensPerSecond] : null;
}

function workSeconds(agent: AgentSpec, server: string, model: string, costs: FleetCosts): number {
  if (typeof agent.work === 'string') return parseDuration(agent.work)!;
  const c = costsOf(costs, server, model);
  // The work model: one stream's speed, since a server's throughput does not grow with parallelism.
  return agent.work.turns * serviceSeconds(c, agent.work.prompt, agent.work.output, 1);
}

function resolveAgentModel(
  agent: AgentSpec,
  i: number,
  fleet: FleetConfig,
  costs: FleetCosts,
  servers: string[],
  problems: ConfigProblem[],
): string | undefined {
  const path = `agents[${i}].model`;
  const chain = fleet.models.some((m) => m.name === agent.model) ? [agent.model] : fleet.aliases[agent.model];
  if (!chain) {
    problems.push({
      path,
      message: `agent ${agent.id}: unknown model ${JSON.stringify(agent.model)} (${knownList(fleet)})`,
    });
    return undefined;
  }
  // An alias plans on the first model of its chain that some local server can hold.
  const local = chain.find((m) => servers.some((s) => costs.models.has(costKey(s, m))));
  if (!local) {
    problems.push({ path, message: `agent ${agent.id}: model ${agent.model} is held by no local server` });
    return undefined;
  }
  const fits = servers.filter((s) => {
    const c = costs.models.get(costKey(s, local));
    return c !== undefined && c.memoryGiB <= costs.servers.get(s)!.memoryGiB + EPS;
  });
  if (fits.length === 0) {
    const detail = servers
      .filter((s) => costs.models.has(costKey(s, local)))
      .map(
        (s) =>
          `${round(costs.models.get(costKey(s, local))!.memoryGiB)} GiB on ${s}, which has ${round(costs.servers.get(s)!.memoryGiB)} GiB`,
      )
      .join('; ');
    problems.push({ path, message: `agent ${agent.id}: model ${local} fits no server (needs ${detail})` });
    return undefined;
  }
  return local;
}

function knownName(fleet: FleetConfig, name: string): boolean {
  return fleet.models.some((m) => m.name === name) || name in fleet.aliases;
}

function knownList(fleet: FleetConfig): string {
  const aliases = Object.keys(fleet.aliases);
  return `expected one of the models ${fleet.models.map((m) => m.name).join(', ')}${aliases.length ? ` or the aliases ${aliases.join(', ')}` : ''}`;
}

function topoOrder(tasks: readonly PlanTask[]): number[] {
  const indeg = tasks.map((t) => t.preds.length);
  const queue = tasks.flatMap((_, i) => (indeg[i] === 0 ? [i] : []));
  const order: number[] = [];
  for (let k = 0; k < queue.length; k++) {
    const j = queue[k]!;
    order.push(j);
    for (const s of tasks[j]!.succs) if (--indeg[s]! === 0) queue.push(s);
  }
  return order;
}

const round = (n: number): string => (Math.round(n * 10) / 10).toString();
