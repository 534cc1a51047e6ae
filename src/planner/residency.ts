// Which models can stay resident when a server loads another one. Keeping more models never costs
// time in the work model (unloading is free, memory is otherwise idle), so only the maximal
// memory-feasible keep-sets are worth considering.
import { EPS, modelsOfMask, type PlanServer } from './problem.ts';

export function maskFits(server: PlanServer, mask: number): boolean {
  const models = modelsOfMask(mask);
  if (models.length > server.maxLoaded) return false;
  let gib = 0;
  for (const m of models) gib += server.memoryOf[m] ?? NaN;
  return gib <= server.memoryGiB + EPS;
}

/** Caches, per server, the resident sets possible after loading a model. */
export class Residency {
  readonly #servers: readonly PlanServer[];
  readonly #cache = new Map<number, readonly number[]>();

  constructor(servers: readonly PlanServer[]) {
    this.#servers = servers;
  }

  /**
   * Resident masks possible right after loading `model` on server `s` whose residents are `mask`
   * (model not among them): the maximal subsets of `mask` that fit beside `model`. Empty when the
   * model cannot go on that server.
   */
  afterLoad(s: number, mask: number, model: number): readonly number[] {
    const key = (s * 64 + model) * 2 ** 31 + mask;
    const hit = this.#cache.get(key);
    if (hit) return hit;
    const out = computeKeepSets(this.#servers[s]!, mask, model);
    this.#cache.set(key, out);
    return out;
  }
}

function computeKeepSets(server: PlanServer, mask: number, model: number): number[] {
  const bit = 1 << model;
  if (server.loadSeconds[model] === undefined || !maskFits(server, bit)) return [];
  const residents = modelsOfMask(mask & ~bit);
  const fitting: number[] = [];
  for (let sub = 0; sub < 1 << residents.length; sub++) {
    let kept = bit;
    residents.forEach((m, i) => {
      if (sub & (1 << i)) kept |= 1 << m;
    });
    if (maskFits(server, kept)) fitting.push(kept);
  }
  return fitting.filter((a) => !fitting.some((b) => b !== a && (a & b) === a));
}
