// The runner's own events (run level). An agent attempt's events are the engine's (EngineEvent,
// src/engine/engine-types.ts), stored with the agent and attempt; both live in one log per run.
import type { AgentOutcome, EngineEvent, FailureKind } from '../engine/engine-types.ts';

/** One agent of the plan: where and when the planner put it (seconds from the start). */
export interface PlannedSlot {
  agent: string;
  model: string;
  server: string;
  start: number;
  end: number;
}

export interface PlannedLoad {
  server: string;
  model: string;
  start: number;
  end: number;
}

/** Everything a resume needs, frozen at the start: the files may change or vanish later. */
export interface RunInputs {
  pipelineFile: string;
  pipelineText: string;
  fleetFile: string;
  fleetText: string;
  workspace: string;
  /** the fleet's servers run as emulators in process on a virtual clock, answering from the
   * fleet's scripted replies (emulator keys); otherwise they are called over HTTP */
  emulated: boolean;
  strategy: string;
}

export interface AliasUsage {
  alias: string;
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  localInputTokens: number;
  localOutputTokens: number;
  /** waiting in the scheduler's queue */
  queueMs: number;
  maxQueueMs: number;
  loadMs: number;
}

export type HealAction =
  'retry_changed_prompt' | 'retry_after_backoff' | 'other_specialist' | 'replan' | 'rollback' | 'ask_user';

export type RunnerEvent =
  | {
      type: 'run_started';
      name: string;
      inputs: RunInputs;
      plan: {
        strategy: string;
        makespanSeconds: number;
        order: string[];
        slots: PlannedSlot[];
        loads: PlannedLoad[];
      };
    }
  | {
      type: 'attempt_started';
      agent: string;
      attempt: number;
      /** the specialists in preference order for this attempt */
      specialists: string[];
      /** what the failures before taught, added to the instructions */
      hints: string[];
    }
  | { type: 'attempt_finished'; agent: string; attempt: number; outcome: AgentOutcome }
  | {
      type: 'heal';
      agent: string;
      attempt: number;
      failure: FailureKind;
      action: HealAction;
      detail: string;
      /** added to the next attempt's instructions */
      hint?: string;
      delayMs?: number;
    }
  | { type: 'checkpoint'; agent: string; id: string; path: string }
  | { type: 'rollback'; agent: string; checkpoint: string }
  | { type: 'replanned'; agent: string; order: string[]; reason: string }
  | { type: 'ask_user'; agent: string; question: string; attempt: number }
  /** `to`: the engine asked (same attempt goes on) or the runner did after its heals (next attempt) */
  | { type: 'answer'; agent: string; text: string; to: 'engine' | 'runner' }
  | {
      type: 'agent_done';
      agent: string;
      status: 'succeeded' | 'failed';
      result: string;
      filesChanged: string[];
    }
  | { type: 'cancel_requested'; reason: string }
  /** what one process's session saw at the gateway (usage rows) and on emulated servers (loads) */
  | { type: 'usage'; perAlias: AliasUsage[]; loads: PlannedLoad[] }
  | { type: 'run_finished'; state: 'succeeded' | 'failed' | 'cancelled'; message: string };

export type RunnerEventType = RunnerEvent['type'];

/** An event as the fold sees it: the runner's, or an engine event of one agent attempt. */
export type LoggedEvent =
  | { seq: number; at: number; source: 'runner'; event: RunnerEvent }
  | { seq: number; at: number; source: 'engine'; agent: string; attempt: number; event: EngineEvent };
