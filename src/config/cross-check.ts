// Checks that need the whole fleet: names that refer to other entries, duplicates, fit in memory.
import { profileOf } from './profiles.ts';
import type { ConfigProblem } from './config-error.ts';
import { residentMemoryGiB } from './model-memory.ts';
import type { FleetConfig } from './schema.ts';

export function crossCheck(fleet: FleetConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const servers = new Map(fleet.servers.map((s) => [s.name, s]));
  const models = new Map(fleet.models.map((m) => [m.name, m]));
  duplicates(
    fleet.servers.map((s) => s.name),
    'servers',
    'server',
    problems,
  );
  duplicates(
    fleet.models.map((m) => m.name),
    'models',
    'model',
    problems,
  );

  fleet.servers.forEach((s, i) => {
    if (s.kind === 'ollama' && s.apiKeyEnv) {
      problems.push({ path: `servers[${i}].apiKeyEnv`, message: 'expected no API key on an ollama server' });
    }
    residentFit(s, i, models, problems);
    s.resident.forEach((m, j) => {
      const model = models.get(m);
      if (!model)
        problems.push({ path: `servers[${i}].resident[${j}]`, message: unknown('model', m, models) });
      else if (!model.servers.includes(s.name))
        problems.push({
          path: `servers[${i}].resident[${j}]`,
          message: `model ${m} is not held by server ${s.name} (its servers: ${model.servers.join(', ')})`,
        });
    });
  });

  fleet.models.forEach((m, i) => {
    const local: string[] = [];
    m.servers.forEach((sn, j) => {
      const s = servers.get(sn);
      if (!s) problems.push({ path: `models[${i}].servers[${j}]`, message: unknown('server', sn, servers) });
      else if (s.kind === 'ollama') local.push(sn);
    });
    if (local.length > 0 && m.memoryGiB === undefined)
      problems.push({
        path: `models[${i}].memoryGiB`,
        message: 'expected the GPU memory in GiB of a local model, found nothing',
      });
    if (local.length > 0 && m.memoryGiB !== undefined) {
      const sizes = local.map((sn) => {
        const s = servers.get(sn)!;
        return { sn, gib: serverMemoryGiB(s), need: residentMemoryGiB(m, s.parallel) };
      });
      if (sizes.every((x) => x.gib < x.need))
        problems.push({
          path: `models[${i}].memoryGiB`,
          message: `model ${m.name} needs ${sizes.map((x) => `${round(x.need)} GiB on ${x.sn} (weights ${m.memoryGiB} + KV of ${m.contextTokens} tokens), which has ${x.gib} GiB`).join('; ')}: it fits no server; lower contextTokens or use a larger server`,
        });
    }
  });

  for (const [alias, chain] of Object.entries(fleet.aliases)) {
    chain.forEach((m, j) => {
      if (!models.has(m))
        problems.push({ path: `aliases.${alias}[${j}]`, message: unknown('model', m, models) });
    });
    if (models.has(alias))
      problems.push({ path: `aliases.${alias}`, message: `alias ${alias} has the name of a model` });
  }
  fleet.models.forEach((m, i) => {
    const interpreter = m.tool_calls?.interpreter;
    if (interpreter !== undefined && !models.has(interpreter))
      problems.push({
        path: `models[${i}].tool_calls.interpreter`,
        message: unknown('model', interpreter, models),
      });
  });
  for (const [alias, tc] of Object.entries(fleet.aliasToolCalls))
    if (tc.interpreter !== undefined && !models.has(tc.interpreter))
      problems.push({
        path: `aliases.${alias}.tool_calls.interpreter`,
        message: unknown('model', tc.interpreter, models),
      });
  knowledgeCheck(fleet, models, problems);
  if (fleet.savingsBaseline && !models.get(fleet.savingsBaseline)?.price)
    problems.push({
      path: 'savingsBaseline',
      message: `expected a model with a price, found ${JSON.stringify(fleet.savingsBaseline)}`,
    });
  return problems;
}

function knowledgeCheck(
  fleet: FleetConfig,
  models: Map<string, FleetConfig['models'][number]>,
  problems: ConfigProblem[],
): void {
  const k = fleet.knowledge;
  if (k === undefined) return;
  if (k.embeddingModel !== undefined && !models.has(k.embeddingModel) && !(k.embeddingModel in fleet.aliases))
    problems.push({
      path: 'knowledge.embeddingModel',
      message: `unknown model or alias ${JSON.stringify(k.embeddingModel)} (expected one of: ${[...models.keys(), ...Object.keys(fleet.aliases)].join(', ')})`,
    });
  if (k.dimensions !== undefined && k.embeddingModel === undefined)
    problems.push({
      path: 'knowledge.dimensions',
      message: 'expected knowledge.embeddingModel with dimensions',
    });
}

/** the resident list must load together: the emulator and the scheduler would silently drop some */
function residentFit(
  s: FleetConfig['servers'][number],
  i: number,
  models: Map<string, FleetConfig['models'][number]>,
  problems: ConfigProblem[],
): void {
  const known = s.resident.filter((m) => models.get(m)?.servers.includes(s.name));
  if (known.length < 2) return;
  const path = `servers[${i}].resident`;
  if (known.length > s.maxLoadedModels) {
    problems.push({
      path,
      message: `${known.length} models, server ${s.name} loads at most ${s.maxLoadedModels} (maxLoadedModels): keep fewer of them resident`,
    });
    return;
  }
  const need = known.reduce((n, m) => n + residentMemoryGiB(models.get(m)!, s.parallel), 0);
  const gib = serverMemoryGiB(s);
  if (need > gib + 1e-9)
    problems.push({
      path,
      message: `models ${known.join(', ')} need ${round(need)} GiB together (with KV of their contexts), server ${s.name} has ${gib} GiB: keep fewer of them resident`,
    });
}

export function serverMemoryGiB(s: {
  memoryGiB?: number | undefined;
  profile: FleetConfig['servers'][number]['profile'];
}): number {
  return s.memoryGiB ?? profileOf(s.profile).usableMemoryGiB;
}

function duplicates(names: string[], section: string, what: string, problems: ConfigProblem[]): void {
  const seen = new Set<string>();
  names.forEach((n, i) => {
    if (seen.has(n))
      problems.push({ path: `${section}[${i}].name`, message: `${what} ${n} is defined twice` });
    seen.add(n);
  });
}

function unknown(what: string, name: string, known: Map<string, unknown>): string {
  const list = [...known.keys()];
  return `unknown ${what} ${JSON.stringify(name)} (expected one of: ${list.join(', ')})`;
}

const round = (n: number): string => (Math.round(n * 10) / 10).toString();
