// The simulator's agents and calls: per-agent seeded generators (so every policy sees the same
// calls for a seed), DAG dependents, and the events of the simulation heap.
import { AppError } from '../../core/errors/index.ts';
import { seededRandom, type Random } from '../../lib/random.ts';
import type { SchedEvent } from '../scheduler-types.ts';
import type { AgentSpec, Trace } from './trace.ts';

export interface Call {
  id: string;
  agent: AgentRun;
  model: string;
  promptTokens: number;
  outputTokens: number;
  arrivalMs: number;
  dispatchMs: number;
  serviceMs: number;
  server: string;
}

export interface AgentRun {
  spec: AgentSpec;
  index: number;
  rng: Random;
  tasksLeft: number;
  turn: number;
  turns: number;
  context: number;
  waiting: number;
  served: number;
  done: boolean;
  blockers: number;
}

/**
 * One event of the simulation heap: a scheduling event, an agent's next call or task, or a retry.
 * Every event has every field (unused ones undefined) so the heap's code sees a single shape.
 */
export interface SimEvent {
  at: number;
  seq: number;
  kind: 'sched' | 'call' | 'task' | 'retry';
  event: SchedEvent | undefined;
  agent: AgentRun | undefined;
  call: Call | undefined;
}

export function schedEvent(at: number, event: SchedEvent): SimEvent {
  return { at, seq: 0, kind: 'sched', event, agent: undefined, call: undefined };
}

export function agentEvent(at: number, kind: 'call' | 'task', agent: AgentRun): SimEvent {
  return { at, seq: 0, kind, event: undefined, agent, call: undefined };
}

export function retryEvent(at: number, call: Call): SimEvent {
  return { at, seq: 0, kind: 'retry', event: undefined, agent: undefined, call };
}

export function createAgentRuns(trace: Trace, seed: number): AgentRun[] {
  return trace.agents.map((spec, index) => ({
    spec,
    index,
    rng: seededRandom((seed * 1_000_003 + index * 7919) >>> 0),
    tasksLeft: spec.tasks,
    turn: 0,
    turns: 0,
    context: 0,
    waiting: 0,
    served: 0,
    done: false,
    blockers: spec.after?.length ?? 0,
  }));
}

/** agent id -> the agents that wait for it; an unknown id in `after` is a bad trace */
export function dependentsOf(trace: Trace, agents: readonly AgentRun[]): Map<string, AgentRun[]> {
  const ids = new Set(agents.map((a) => a.spec.id));
  const out = new Map<string, AgentRun[]>();
  for (const a of agents)
    for (const dep of a.spec.after ?? []) {
      if (!ids.has(dep))
        throw new AppError(
          'bad_request',
          `trace ${trace.name}: agent ${a.spec.id} waits for unknown agent ${dep}`,
        );
      const list = out.get(dep) ?? [];
      list.push(a);
      out.set(dep, list);
    }
  return out;
}
