// A trace: a fleet, policy options and closed-loop agents (DESIGN.md "Traces"). Agents are
// descriptions; the simulator draws their token counts and delays from seeded generators, one per
// agent, so every policy sees the same calls for the same seed.
import type { FleetConfig } from '../../config/schema.ts';
import type { PolicyOptions } from '../scheduler-types.ts';

export interface AgentSpec {
  id: string;
  model: string;
  /** ms of the first task's start (ignored when `after` is given) */
  startMs: number;
  /** DAG: the agent starts when all of these agents have finished */
  after?: readonly string[];
  /** tasks to run; Infinity = until the horizon */
  tasks: number;
  /** on/off traffic: median idle ms between tasks (LogNormal) */
  offMedianMs?: number;
  /** fixed turns per task (else 6-20 at random) */
  turns?: number;
  /** work model: total service ms of one task, split evenly over its turns */
  workMs?: number;
  priority?: number;
}

export interface Trace {
  name: string;
  /** one line saying what the trace probes */
  description: string;
  fleet: FleetConfig;
  options: PolicyOptions;
  agents: AgentSpec[];
  /** no task starts after this, ms */
  horizonMs: number;
  /** median ms between a reply and the agent's next call */
  toolDelayMedianMs: number;
  /** pass DAG hints (upcomingModels) with every call */
  hints: boolean;
  /** the seed's work model: service = workMs / turns, re-prefill costs no time (tokens still counted) */
  workModel: boolean;
  /** offered load the trace was built for (0..1 of one server's capacity), for reports */
  rho?: number;
  /** calls per minute the agents would make if nothing waited (on/off traces): the stability yardstick */
  offeredCallsPerMinute?: number;
  /** a known lower bound on the makespan, seconds (T1) */
  lowerBoundSeconds?: number;
}
