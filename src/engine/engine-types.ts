// The engine's seam (DESIGN.md "Engine"): what the runner hands the engine and what it gets back.
//
// One agent's execution is a fold over its event log plus one loop that performs effects. The
// loop decides (arbiter), consults (specialist tool loop), reviews, and appends an event after
// every effect, before it goes on. On resume the runner passes the same log: the engine folds the
// prior events back into threads and state, asks again a model call that was started without a
// result, and never applies again a tool effect whose idempotency key is already logged.
//
// Models are reached only through the gateway's OpenAI face (`GatewayConnection`): in process
// through the Hono app's fetch, or over HTTP. The engine sends `x-orchestra-agent: <agentId>` and
// `x-orchestra-session: <runId>`, so every call is scheduled, counted and repaired like a client's.
import type { z } from 'zod';
import type { Clock } from '../lib/clock.ts';
import type { IdGenerator } from '../lib/ids.ts';
import type { ModelReply, OfferedTool, RepairResult, RepairRung } from '../repair/repair-types.ts';

// ---------------------------------------------------------------- inputs

/** A model offered to the arbiter as a tool (input: instruction, acceptance, optional files). */
export interface SpecialistSpec {
  /** unique within the agent, e.g. "coder"; the arbiter names it in `consult` */
  name: string;
  /** gateway alias or model name */
  alias: string;
  /** what it is good at; shown to the arbiter and used as the specialist's system prompt */
  role: string;
  /** the model's real context window in tokens (fleet config or /api/show) */
  contextWindow: number;
  temperature: number;
  /** application tools this specialist may call (names of `EngineTool`s) */
  tools: string[];
  /** phases in which it is a candidate; every phase when absent */
  phases?: string[];
  /** the lowest task complexity (1-10) it is meant for; 1 when absent */
  minComplexity?: number;
  /** the highest task complexity it can handle; 10 when absent */
  maxComplexity?: number;
  /** 'small' models get the short prompt with examples */
  size?: 'small' | 'large';
}

/** The arbiter: a small fast model deciding each next step with one structured-output call. */
export interface ArbiterSpec {
  alias: string;
  contextWindow: number;
  /** low by default (0.1) */
  temperature?: number;
  size?: 'small' | 'large';
}

/** What must hold for the agent to succeed; checked by the injected `checks` port. */
export type AcceptanceSpec =
  { kind: 'command'; command: string; timeoutSeconds: number } | { kind: 'review'; review: 'approve' };

/** A finished upstream agent's result, shown to this agent's prompts. */
export interface UpstreamResult {
  agentId: string;
  result: string;
  filesChanged: string[];
}

export interface AgentSpec {
  runId: string;
  agentId: string;
  /** what the agent is for (pipeline `role`) */
  role: string;
  /** the task itself (pipeline instructions); may be long: chunked above 70% of a context */
  instructions: string;
  arbiter: ArbiterSpec;
  specialists: SpecialistSpec[];
  /** phases in order; the agent starts in the first; ['work'] when absent */
  phases?: string[];
  /** agent ids this one depends on (a complexity input) */
  dependsOn?: string[];
  upstream?: UpstreamResult[];
  acceptance?: AcceptanceSpec;
  limits?: Partial<EngineLimits>;
}

export interface EngineLimits {
  /** arbiter decisions before the agent fails with `stall` */
  maxDecisions: number;
  /** corrective re-asks of an invalid arbiter decision before the rule-based fallback */
  maxReasks: number;
  /** model steps of one specialist's tool loop */
  maxToolSteps: number;
  /** turns of one dialogue */
  maxDialogueTurns: number;
  /** identical decisions without progress that count as a loop */
  loopRepeats: number;
}

export const DEFAULT_LIMITS: EngineLimits = {
  maxDecisions: 40,
  maxReasks: 3,
  maxToolSteps: 8,
  maxDialogueTurns: 4,
  loopRepeats: 3,
};

// ---------------------------------------------------------------- ports

/** Where the gateway's OpenAI face is: `${baseURL}/chat/completions` (baseURL ends in /v1). */
export interface GatewayConnection {
  baseURL: string;
  /** the Hono app's fetch for in-process calls; globalThis.fetch when absent */
  fetch?: typeof fetch;
  /** a gateway key, when the gateway requires one (from the environment, never config) */
  apiKey?: string;
}

/**
 * The run's event log for one agent attempt, implemented by the runner (SQLite). A log that ends
 * in agent_finished replays to the same outcome; an attempt with a changed spec (other
 * specialists, hints) needs a log of its own, since a replay checks the events it produces
 * against the log's (a mismatch is an error). `append` must have
 * persisted the event when it returns (or its promise resolves): the engine performs no further
 * effect before. `events()` returns the prior events of this agent in this run, in append order.
 */
export interface EngineLog {
  events(): readonly EngineEvent[];
  append(event: EngineEvent): void | Promise<void>;
}

/** Passed to a tool's execute. */
export interface ToolContext {
  runId: string;
  agentId: string;
  /** `${runId}/${agentId}/${step}/${callIndex}`: the same key is never executed twice by the engine */
  idempotencyKey: string;
  signal: AbortSignal;
  clock: Clock;
}

export interface ToolResult {
  ok: boolean;
  /** what the model sees (truncated by the tool to a cap) */
  output: string;
  /** workspace-relative paths the effect wrote */
  filesChanged?: string[];
}

/** An application tool executed by the engine and decided by a model (src/engine/tools/). */
export interface EngineTool<I = unknown> {
  name: string;
  description: string;
  inputSchema: z.ZodType<I>;
  /** phases where it is offered; every phase when absent */
  phases?: string[];
  /** whether it changes the workspace or the store; every call is journaled either way */
  sideEffects: boolean;
  execute(input: I, context: ToolContext): Promise<ToolResult>;
  /** what the call will change (JSON), logged with tool_effect_started before it runs */
  plan?(input: I, context: ToolContext): Promise<unknown>;
  /**
   * After a crash between tool_effect_started and its result: the result to log when the logged
   * plan shows the effect was applied (the call is not run again), or undefined to run it.
   */
  recover?(plan: unknown, input: I, context: ToolContext): Promise<ToolResult | undefined>;
}

export interface CheckResult {
  passed: boolean;
  /** what went wrong, fed back to the next prompt (e.g. the failing test output) */
  output: string;
}

/** Runs an agent's command acceptance in its workspace (the runner implements it). */
export type AcceptanceChecker = (acceptance: AcceptanceSpec & { kind: 'command' }) => Promise<CheckResult>;

export interface EngineOptions {
  log: EngineLog;
  models: GatewayConnection;
  tools: readonly EngineTool<never>[];
  clock: Clock;
  ids: IdGenerator;
  signal?: AbortSignal;
  checks?: AcceptanceChecker;
  /**
   * The tool-call repair ladder (src/repair) run on a reply whose calls cannot be executed, or
   * that carries none while tools were offered, before the reply is logged. Without it the
   * engine executes valid native calls only (the gateway repairs too) and re-asks with reminders.
   */
  repair?: ToolCallRepair;
}

export type ToolCallRepair = (
  reply: ModelReply,
  tools: OfferedTool[],
) => RepairResult | Promise<RepairResult>;

// ---------------------------------------------------------------- decisions

export type ReviewVerdict =
  | { verdict: 'approve'; note?: string }
  | { verdict: 'modify'; instruction: string }
  | { verdict: 'redirect'; specialist: string; reason: string }
  | { verdict: 'reject'; reason: string };

/** The arbiter's action (zod schema: arbiter-decision.ts). */
export type ArbiterDecision =
  | { action: 'consult'; specialist: string; instruction: string; acceptance: string; files?: string[] }
  | { action: 'review'; review: ReviewVerdict }
  | { action: 'dialogue'; specialists: [string, string]; question: string }
  | { action: 'change_phase'; phase: string; reason: string }
  | { action: 'ask_user'; question: string }
  | { action: 'finish'; result: string };

/** Where a decision came from: the model (after `reasks` corrective re-asks) or the rules. */
export type DecisionSource = 'model' | 'fallback' | 'loop_breaker';

// ---------------------------------------------------------------- events

export type ModelCallPurpose = 'arbiter' | 'specialist' | 'dialogue';

export type FailureKind =
  | 'invalid_tool_call'
  | 'unknown_tool'
  | 'failed_check'
  | 'timeout'
  | 'backend_down'
  | 'loop_detected'
  | 'stall';

/** Why a tool call of a reply cannot be executed as it is (the prompt's next reminder). */
export type CallProblem =
  | { kind: 'unknown_tool'; name: string }
  | { kind: 'empty_name' }
  | { kind: 'no_call' }
  | { kind: 'invalid_input'; tool: string; error: string };

export interface LoggedToolCall {
  id: string;
  name: string;
  input: unknown;
  problem?: CallProblem;
}

interface EventBase {
  /** clock ms when the event was appended */
  at: number;
  /** the arbiter step this event belongs to (0-based, one per decision) */
  step: number;
}

export type EngineEvent = EventBase &
  (
    | { type: 'agent_started'; phase: string }
    | { type: 'decision'; decision: ArbiterDecision; source: DecisionSource; reasks: number }
    | { type: 'model_call_started'; callId: string; purpose: ModelCallPurpose; alias: string; thread: string }
    | {
        type: 'model_call';
        callId: string;
        purpose: ModelCallPurpose;
        /** the gateway's x-request-id */
        requestId?: string;
        alias: string;
        /** the model that answered (x-orchestra-model), or the alias when unknown */
        model: string;
        /** the server that answered (x-orchestra-server); absent when unknown */
        server?: string;
        tokensIn: number;
        tokensOut: number;
        /** the highest repair rung the reply's tool calls needed (engine side); absent without calls */
        rung?: RepairRung;
        /** prompt tokens of the dynamic prompt, and of the full static prompt for the same step */
        promptTokens?: { dynamic: number; static: number };
        result:
          | { ok: true; text: string; toolCalls: LoggedToolCall[] }
          | { ok: false; kind: FailureKind | 'cancelled'; error: string };
      }
    | { type: 'tool_effect_started'; key: string; tool: string; input: unknown; plan?: unknown }
    | { type: 'tool_effect'; key: string; tool: string; result: ToolResult }
    | { type: 'consultation'; specialist: string; valid: boolean; summary: string; filesChanged: string[] }
    | {
        type: 'dialogue_turn';
        turn: number;
        speaker: string;
        text: string;
        review: 'continue' | 'modify' | 'stop';
      }
    | { type: 'loop_detected'; repeats: number; decision: ArbiterDecision; breaker: string }
    | { type: 'failure'; kind: FailureKind; detail: string }
    | { type: 'heal'; kind: FailureKind; action: string }
    | { type: 'check'; passed: boolean; output: string }
    | { type: 'ask_user'; question: string }
    /** appended by the runner (`orchestra runs answer`) before it calls runAgent again */
    | { type: 'answer'; text: string }
    | { type: 'phase_changed'; from: string; to: string; reason: string }
    | { type: 'agent_finished'; outcome: AgentOutcome }
  );

export type EngineEventType = EngineEvent['type'];

// ---------------------------------------------------------------- outcome

export interface SpecialistStats {
  calls: number;
  /** calls whose result was valid and executed */
  successes: number;
}

export type AgentOutcome =
  | { status: 'succeeded'; result: string; filesChanged: string[]; stats?: Record<string, SpecialistStats> }
  | {
      status: 'failed';
      failure: FailureKind;
      message: string;
      filesChanged: string[];
      stats?: Record<string, SpecialistStats>;
    }
  /** paused on ask_user: append an `answer` event and call runAgent again */
  | { status: 'waiting'; question: string }
  | { status: 'cancelled' };

/** The entry point (engine.ts): runs or resumes one agent to an outcome. */
export type RunAgent = (spec: AgentSpec, options: EngineOptions) => Promise<AgentOutcome>;
