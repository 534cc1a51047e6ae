// The vocabulary of the pure scheduling core: what a policy is told (events) and what it asks the
// runner or the simulator to do (actions). Times are ms on the caller's clock (virtual or real).
import type { PolicyName } from '../config/schema.ts';

export interface SchedRequest {
  id: string;
  /** fleet model name */
  model: string;
  /** the agent (or session) the call belongs to; its KV cache is what a swap destroys */
  agentId: string;
  /**
   * no agent or session id was given (agentId is the request id): the call keeps no per-agent
   * state (home server, returning window, cached context) that would outlive it
   */
  anonymous: boolean;
  arrivalMs: number;
  /** predicted service ms on a resident model with the agent's context cached */
  serviceMs: number;
  /** tokens of the agent's context a model without its cache must prefill again */
  contextTokens: number;
  /** 0 high, 1 medium, 2 low */
  priority: number;
  /** DAG hints: the models this agent (or its pipeline) needs next, nearest first */
  upcomingModels?: readonly string[];
}

/** why a load failed: the server unreachable (503) or the load itself (500), and the detail */
export interface LoadFailure {
  code: 'upstream_unavailable' | 'load_failed';
  message: string;
}

export type SchedEvent =
  | { type: 'arrival'; request: SchedRequest }
  | { type: 'completion'; requestId: string }
  | {
      type: 'load-done';
      server: string;
      model: string;
      ok: boolean;
      failure?: LoadFailure;
    }
  | { type: 'unload-done'; server: string; model: string }
  /** what the server reports loaded (/api/ps), read after a load or unload failed */
  | { type: 'residency'; server: string; models: readonly string[] }
  | { type: 'cancel'; requestId: string }
  /** time passed; sent when a 'timer' action falls due */
  | { type: 'tick' };

export type RejectCode =
  'rate_limited' | 'overloaded' | 'unschedulable' | 'load_failed' | 'upstream_unavailable';

export type SchedAction =
  | { type: 'dispatch'; requestId: string; server: string; model: string }
  | { type: 'load'; server: string; model: string }
  | { type: 'unload'; server: string; model: string }
  | { type: 'reject'; requestId: string; code: RejectCode; message: string; retryAfterSeconds?: number }
  /** new requests for `model` on `server` queue instead of joining the running batch */
  | { type: 'close-gate'; server: string; model: string }
  /** the policy wants a 'tick' at `atMs` (aging triggers, keep-alive expiry) */
  | { type: 'timer'; atMs: number };

export interface PolicyOptions {
  /** W_target, ms */
  waitTargetMs: number;
  /** D_min, ms; derived from load times and load when undefined */
  minVisitMs?: number;
  /** predicted waits beyond this are refused (rule 6), ms */
  admissionCapMs: number;
  /** alpha of the Smith ratio */
  agingWeight: number;
  /** never let a request wait past W_target when that is feasible (admission and trigger use it) */
  hard: boolean;
  /** the share of a saturated server's time GXA may spend on swaps when W_target is infeasible
   * (it then acts on a bound instead, ADR 0005), 0..1 */
  maxSwapShare: number;
  /** Ollama's default keep-alive for the ollama baseline, ms */
  keepAliveMs: number;
}

export const DEFAULT_POLICY_OPTIONS: PolicyOptions = {
  waitTargetMs: 300_000,
  admissionCapMs: 1_800_000,
  agingWeight: 1,
  hard: false,
  maxSwapShare: 0.1,
  keepAliveMs: 300_000,
};

export type { PolicyName };
