// Everything one agent's loop works with, passed to each part of the loop as one object.
import type { AgentSpec, EngineLimits, EngineTool, SpecialistSpec } from './engine-types.ts';
import type { Effects } from './effects.ts';
import type { EngineState } from './engine-state.ts';
import type { Journal } from './journal.ts';
import { Thread } from './thread.ts';
import type { AcceptanceChecker } from './engine-types.ts';

export interface Runtime {
  spec: AgentSpec;
  limits: EngineLimits;
  journal: Journal;
  effects: Effects;
  threads: Threads;
  tools: ReadonlyMap<string, EngineTool<never>>;
  state: EngineState;
  checks?: AcceptanceChecker;
}

/** One thread per model and run; the arbiter's own thread is apart from its specialist work. */
export class Threads {
  private readonly map = new Map<string, Thread>();

  arbiter(spec: AgentSpec): Thread {
    return this.get(`arbiter:${spec.arbiter.alias}`, spec.arbiter.alias, spec.arbiter.contextWindow);
  }

  specialist(s: SpecialistSpec): Thread {
    return this.get(s.alias, s.alias, s.contextWindow);
  }

  all(): Thread[] {
    return [...this.map.values()];
  }

  private get(name: string, alias: string, contextWindow: number): Thread {
    let t = this.map.get(name);
    if (!t) this.map.set(name, (t = new Thread({ name, alias, contextWindow })));
    return t;
  }
}
