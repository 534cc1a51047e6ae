// A run's state: a pure fold over its event log (DESIGN.md "Runner"). The executor, `runs list`,
// `runs show`, the progress view and the report all read a run through this fold.
import type { AgentOutcome, FailureKind } from '../engine/engine-types.ts';
import type { LoggedEvent, PlannedSlot, RunInputs, RunnerEvent } from './run-events.ts';

export type RunStatus = 'planned' | 'running' | 'waiting' | 'healing' | 'succeeded' | 'failed' | 'cancelled';
export type AgentStatus = 'pending' | 'running' | 'waiting' | 'healing' | 'succeeded' | 'failed';

export interface AgentView {
  id: string;
  status: AgentStatus;
  /** current (or last) attempt, 0 before the first */
  attempt: number;
  specialists: string[];
  hints: string[];
  /** the model, alias and server of the latest model call */
  model?: string;
  alias?: string;
  server?: string;
  startedAt?: number;
  finishedAt?: number;
  tokensIn: number;
  tokensOut: number;
  modelCalls: number;
  /** model replies whose tool calls needed a repair rung above 1 */
  repairs: number;
  /** heal events of this agent: the runner's and the engine's */
  heals: number;
  failures: { kind: FailureKind; detail: string; attempt: number }[];
  result?: string;
  filesChanged: string[];
  question?: string;
  lastOutcome?: AgentOutcome;
  /** the hint of the latest heal, for the attempt after a rollback or re-plan */
  pendingHint?: string;
  /** the latest runner event about this agent: where the executor goes on from */
  last?: RunnerEvent;
  /** first-choice specialists of the attempts so far */
  tried: string[];
  replans: number;
  /** rolled back since the last answer of the user */
  rolledBack: boolean;
  /** attempts since the last answer of the user */
  attemptsSinceAnswer: number;
  /** what the user answered this agent, oldest first */
  answers: string[];
}

export interface HealRecord {
  agent: string;
  attempt: number;
  failure: FailureKind;
  /** who healed: the runner between attempts, or the engine inside one */
  by: 'runner' | 'engine';
  /** a HealAction of the runner's, or the engine's own words for what it did */
  action: string;
  detail: string;
  at: number;
}

export interface RunView {
  id: string;
  name: string;
  status: RunStatus;
  inputs?: RunInputs;
  plan?: { strategy: string; makespanSeconds: number; order: string[]; slots: PlannedSlot[] };
  /** the order agents start in (the plan's, or the latest re-plan's) */
  order: string[];
  agents: Record<string, AgentView>;
  heals: HealRecord[];
  checkpoints: { agent: string; id: string; path: string }[];
  /** the pending question, while waiting */
  question?: { agent: string; question: string };
  cancelRequested: boolean;
  /** stalls since the last agent that succeeded (the stall counter resets on progress) */
  stalls: number;
  message?: string;
  startedAt?: number;
  updatedAt?: number;
  lastSeq: number;
}

export function emptyRun(id: string): RunView {
  return {
    id,
    name: id,
    status: 'planned',
    order: [],
    agents: {},
    heals: [],
    checkpoints: [],
    cancelRequested: false,
    stalls: 0,
    lastSeq: 0,
  };
}

export function foldRun(id: string, events: readonly LoggedEvent[]): RunView {
  return events.reduce(applyEvent, emptyRun(id));
}

function agentOf(run: RunView, id: string): AgentView {
  return (
    run.agents[id] ?? {
      id,
      status: 'pending',
      attempt: 0,
      specialists: [],
      hints: [],
      tokensIn: 0,
      tokensOut: 0,
      modelCalls: 0,
      repairs: 0,
      heals: 0,
      failures: [],
      filesChanged: [],
      tried: [],
      replans: 0,
      rolledBack: false,
      attemptsSinceAnswer: 0,
      answers: [],
    }
  );
}

function withAgent(run: RunView, id: string, f: (a: AgentView) => AgentView): RunView {
  return { ...run, agents: { ...run.agents, [id]: f(agentOf(run, id)) } };
}

/** the run's status from its agents while it has not finished */
function liveStatus(run: RunView): RunStatus {
  if (isFinal(run.status)) return run.status;
  const agents = Object.values(run.agents);
  if (run.question || agents.some((a) => a.status === 'waiting')) return 'waiting';
  if (agents.some((a) => a.status === 'healing')) return 'healing';
  return run.inputs ? 'running' : 'planned';
}

export function isFinal(status: RunStatus): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'cancelled';
}

export function applyEvent(run: RunView, logged: LoggedEvent): RunView {
  const next = { ...applyBody(run, logged), lastSeq: logged.seq, updatedAt: logged.at };
  return { ...next, status: liveStatus(next) };
}

function applyBody(run: RunView, logged: LoggedEvent): RunView {
  if (logged.source === 'engine') return applyEngine(run, logged);
  const e = logged.event;
  const after = applyRunner(run, logged.at, e);
  return 'agent' in e && STEP_EVENTS.has(e.type) && after.agents[e.agent]
    ? withAgent(after, e.agent, (a) => ({ ...a, last: e }))
    : after;
}

/** the runner events an agent's next step is decided from (checkpoints and the like are not) */
const STEP_EVENTS: ReadonlySet<RunnerEvent['type']> = new Set([
  'attempt_started',
  'attempt_finished',
  'heal',
  'rollback',
  'replanned',
  'ask_user',
  'answer',
  'agent_done',
]);

function applyRunner(run: RunView, at: number, e: RunnerEvent): RunView {
  const logged = { at };
  switch (e.type) {
    case 'run_started':
      return {
        ...run,
        name: e.name,
        inputs: e.inputs,
        plan: e.plan,
        order: e.plan.order,
        startedAt: logged.at,
        agents: Object.fromEntries(e.plan.order.map((id) => [id, agentOf(run, id)])),
      };
    case 'attempt_started':
      return withAgent(run, e.agent, (a) => ({
        ...a,
        status: 'running',
        attempt: e.attempt,
        specialists: e.specialists,
        hints: e.hints,
        startedAt: a.startedAt ?? logged.at,
        question: undefined,
        pendingHint: undefined,
        tried:
          e.specialists[0] && !a.tried.includes(e.specialists[0]) ? [...a.tried, e.specialists[0]] : a.tried,
        attemptsSinceAnswer: a.attemptsSinceAnswer + 1,
      }));
    case 'attempt_finished':
      return withAgent(
        e.outcome.status === 'failed' && e.outcome.failure === 'stall'
          ? { ...run, stalls: run.stalls + 1 }
          : e.outcome.status === 'waiting'
            ? { ...run, question: { agent: e.agent, question: e.outcome.question } }
            : run,
        e.agent,
        (a) => ({
          ...a,
          lastOutcome: e.outcome,
          status:
            e.outcome.status === 'waiting'
              ? 'waiting'
              : e.outcome.status === 'succeeded'
                ? a.status
                : 'healing',
          ...(e.outcome.status === 'waiting' ? { question: e.outcome.question } : {}),
          ...(e.outcome.status === 'failed'
            ? {
                failures: [
                  ...a.failures,
                  { kind: e.outcome.failure, detail: e.outcome.message, attempt: e.attempt },
                ],
              }
            : {}),
        }),
      );
    case 'heal':
      return withAgent(
        { ...run, heals: [...run.heals, { ...e, by: 'runner', at: logged.at }] },
        e.agent,
        (a) => ({
          ...a,
          heals: a.heals + 1,
          status: 'healing',
          ...(e.hint ? { pendingHint: e.hint } : {}),
        }),
      );
    case 'checkpoint':
      return { ...run, checkpoints: [...run.checkpoints, { agent: e.agent, id: e.id, path: e.path }] };
    case 'rollback':
      return withAgent(run, e.agent, (a) => ({ ...a, rolledBack: true }));
    case 'replanned':
      return withAgent({ ...run, order: e.order, stalls: 0 }, e.agent, (a) => ({
        ...a,
        replans: a.replans + 1,
      }));
    case 'ask_user':
      return withAgent({ ...run, question: { agent: e.agent, question: e.question } }, e.agent, (a) => ({
        ...a,
        status: 'waiting',
        question: e.question,
      }));
    case 'answer': {
      const { question: _answered, ...rest } = run;
      return withAgent(rest, e.agent, (a) => ({
        ...a,
        status: e.to === 'engine' ? 'running' : 'healing',
        question: undefined,
        answers: [...a.answers, e.text],
        ...(e.to === 'runner' ? { rolledBack: false, attemptsSinceAnswer: 0 } : {}),
      }));
    }
    case 'agent_done':
      return withAgent(e.status === 'succeeded' ? { ...run, stalls: 0 } : run, e.agent, (a) => ({
        ...a,
        status: e.status,
        result: e.result,
        filesChanged: e.filesChanged,
        finishedAt: logged.at,
      }));
    case 'cancel_requested':
      return { ...run, cancelRequested: true };
    case 'usage':
      return run;
    case 'run_finished':
      return { ...run, status: e.state, message: e.message };
  }
}

function applyEngine(run: RunView, logged: LoggedEvent & { source: 'engine' }): RunView {
  const e = logged.event;
  switch (e.type) {
    case 'model_call':
      return withAgent(run, logged.agent, (a) => ({
        ...a,
        model: e.model,
        alias: e.alias,
        ...(e.server ? { server: e.server } : {}),
        modelCalls: a.modelCalls + 1,
        tokensIn: a.tokensIn + e.tokensIn,
        tokensOut: a.tokensOut + e.tokensOut,
        repairs: a.repairs + (e.rung !== undefined && e.rung > 1 ? 1 : 0),
      }));
    case 'model_call_started':
      return withAgent(run, logged.agent, (a) => ({ ...a, alias: e.alias }));
    // the engine's own heals (a re-ask, a retry after a failed check) count like the runner's
    case 'heal': {
      const heal: HealRecord = {
        agent: logged.agent,
        attempt: logged.attempt,
        failure: e.kind,
        by: 'engine',
        action: e.action,
        detail: '',
        at: logged.at,
      };
      return withAgent({ ...run, heals: [...run.heals, heal] }, logged.agent, (a) => ({
        ...a,
        heals: a.heals + 1,
      }));
    }
    default:
      return run;
  }
}

/** agents whose dependencies have all succeeded and that have not started, in `order` */
export function readyAgents(run: RunView, deps: Readonly<Record<string, readonly string[]>>): string[] {
  return run.order.filter((id) => {
    const a = run.agents[id];
    if (!a || a.status !== 'pending') return false;
    return (deps[id] ?? []).every((d) => run.agents[d]?.status === 'succeeded');
  });
}
