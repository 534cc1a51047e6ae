// Where each agent's context (KV cache) lives: per (server, model) slot, the agents cached there
// until the model is unloaded. Generation counters in typed arrays instead of a Set per slot, so
// the per-call check and insert allocate nothing and an unload clears a slot in O(1).
import { AppError } from '../../core/errors/index.ts';
import type { FleetCosts, ModelCosts } from '../../cost/model-costs.ts';
import type { AgentRun } from './sim-agents.ts';

export class ContextCache {
  /** server -> model -> slot */
  private readonly slots = new Map<string, Map<string, number>>();
  /** slot -> the costs of that (server, model), resolved once */
  readonly costs: ModelCosts[] = [];
  /** slot -> current generation; an agent is cached in a slot when its mark equals it */
  private readonly generation: Uint32Array;
  /** (agent key * slots + slot) -> the generation the agent was cached in */
  private readonly marks: Uint32Array;
  /** agent index -> agent key (agents sharing an id share a cache entry, as with the id-keyed sets) */
  private readonly keyOf: Int32Array;

  constructor(costs: FleetCosts, agents: readonly AgentRun[]) {
    for (const c of costs.models.values()) {
      let byModel = this.slots.get(c.server);
      if (!byModel) this.slots.set(c.server, (byModel = new Map<string, number>()));
      byModel.set(c.model, this.costs.length);
      this.costs.push(c);
    }
    const ids = new Map<string, number>();
    this.keyOf = new Int32Array(agents.length);
    for (const a of agents) {
      let k = ids.get(a.spec.id);
      if (k === undefined) ids.set(a.spec.id, (k = ids.size));
      this.keyOf[a.index] = k;
    }
    this.generation = new Uint32Array(this.costs.length).fill(1);
    this.marks = new Uint32Array(ids.size * this.costs.length);
  }

  slotOf(server: string, model: string): number {
    const slot = this.slots.get(server)?.get(model);
    if (slot === undefined)
      throw new AppError('internal', `simulator: no costs for model ${model} on server ${server}`);
    return slot;
  }

  has(slot: number, a: AgentRun): boolean {
    return this.marks[this.keyOf[a.index]! * this.costs.length + slot] === this.generation[slot];
  }

  add(slot: number, a: AgentRun): void {
    this.marks[this.keyOf[a.index]! * this.costs.length + slot] = this.generation[slot]!;
  }

  clear(slot: number): void {
    this.generation[slot]!++;
  }
}
