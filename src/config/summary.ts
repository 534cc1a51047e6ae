import { serverMemoryGiB } from './cross-check.ts';
import { residentMemoryGiB } from './model-memory.ts';
import type { FleetConfig, ModelConfig } from './schema.ts';

const gib = (n: number): string => `${Math.round(n * 10) / 10} GiB`;

/** Lines describing a fleet: each server, its memory, and which of its models can be resident together. */
export function summarizeFleet(fleet: FleetConfig): string[] {
  const lines: string[] = [];
  for (const s of fleet.servers) {
    const models = fleet.models.filter((m) => m.servers.includes(s.name));
    if (s.kind !== 'ollama') {
      lines.push(
        `server ${s.name} (${s.kind}, ${s.url}): cloud, key from ${s.apiKeyEnv ?? 'no variable'}; models ${models.map((m) => m.name).join(', ')}`,
      );
      continue;
    }
    const mem = serverMemoryGiB(s);
    lines.push(
      `server ${s.name} (${s.url}, profile ${s.profile}): ${gib(mem)} usable, at most ${s.maxLoadedModels} loaded, ${s.parallel} parallel, queue ${s.queueMax}`,
    );
    for (const m of models)
      lines.push(
        `  model ${m.name}: ${gib(residentMemoryGiB(m, s.parallel))} loaded (weights ${gib(m.memoryGiB ?? 0)}, context ${m.contextTokens} tokens)`,
      );
    const sets = maximalResidentSets(models, mem, s.maxLoadedModels, s.parallel);
    lines.push(
      `  can be resident together: ${sets.map((set) => `{${set.join(', ')}}`).join(' or ') || 'nothing fits'}`,
    );
    const exclusive = models.filter((m) => !sets.some((set) => set.length > 1 && set.includes(m.name)));
    if (exclusive.length > 1)
      lines.push(
        `  mutually exclusive (each needs the server alone): ${exclusive.map((m) => m.name).join(', ')}`,
      );
  }
  for (const [alias, chain] of Object.entries(fleet.aliases))
    lines.push(`alias ${alias} -> ${chain.join(' -> ')}`);
  return lines;
}

/** Maximal sets of models that fit together: weights plus the KV of `slots` contexts each. */
export function maximalResidentSets(
  models: ModelConfig[],
  memoryGiB: number,
  maxLoaded: number,
  slots = 1,
): string[][] {
  const sets: string[][] = [];
  const n = Math.min(models.length, 16);
  for (let mask = 1; mask < 1 << n; mask++) {
    const chosen = models.filter((_, i) => mask & (1 << i));
    if (chosen.length > maxLoaded) continue;
    if (chosen.reduce((a, m) => a + residentMemoryGiB(m, slots), 0) > memoryGiB) continue;
    sets.push(chosen.map((m) => m.name));
  }
  return sets.filter((a) => !sets.some((b) => b.length > a.length && a.every((x) => b.includes(x))));
}
