// Executes (or resumes) a run: agents start as their dependencies succeed, in the plan's order,
// each attempt through the engine's runAgent; a failed attempt goes through the heal policy. Every
// step is decided from the folded log, so a process killed anywhere continues from where the log
// ends: the same attempt is handed the same engine log (the engine replays it), and a heal or
// rollback that was logged is carried out to its end.
import type { FleetConfig } from '../config/index.ts';
import type {
  AcceptanceChecker,
  AgentOutcome,
  EngineTool,
  GatewayConnection,
  RunAgent,
  ToolCallRepair,
  UpstreamResult,
} from '../engine/engine-types.ts';
import type { Clock } from '../lib/clock.ts';
import type { IdGenerator } from '../lib/ids.ts';
import { engineSpec } from './engine-spec.ts';
import { decideHeal } from './heal-policy.ts';
import type { RunLog } from './run-log.ts';
import type { RunAgentSpec, RunPipeline } from './run-pipeline.ts';
import { isFinal, readyAgents, type AgentView, type RunView } from './run-state.ts';
import { runCheckCommand, type RunWorkspace } from './run-workspace.ts';
import type { IoTracker } from './virtual-run.ts';

export interface ExecutorOptions {
  log: RunLog;
  pipeline: RunPipeline;
  fleet: FleetConfig;
  runAgent: RunAgent;
  models: GatewayConnection;
  toolsFor: (agent: RunAgentSpec, workspace: RunWorkspace) => readonly EngineTool<never>[];
  workspace: RunWorkspace;
  clock: Clock;
  ids: IdGenerator;
  /** Ctrl-C: stop cleanly, the run stays resumable */
  signal: AbortSignal;
  /** a new start order for the agents not yet done (the planner on what remains) */
  replan: (remaining: readonly string[]) => string[];
  /** attempts per agent before rollback and the user (default 4) */
  maxAttempts?: number;
  /** real I/O (checks) that holds a virtual clock still */
  io?: IoTracker;
  /** the tool-call repair ladder for the engine */
  repair?: ToolCallRepair;
}

export async function executeRun(o: ExecutorOptions): Promise<RunView> {
  const deps = Object.fromEntries(o.pipeline.agents.map((a) => [a.id, a.after]));
  const running = new Map<string, Promise<void>>();
  // an agent whose last drive appended nothing is not driven again at the same point of the log:
  // it would spin without end (it waits, or its log ends where the executor cannot go on)
  const stuckAt = new Map<string, number>();
  const cancel = new AbortController();
  const abort = (): void => cancel.abort(o.signal.reason);
  o.signal.addEventListener('abort', abort, { once: true });
  try {
    for (;;) {
      const view = o.log.view;
      if (isFinal(view.status)) return view;
      if (view.cancelRequested) cancel.abort(new Error('cancelled'));
      if (!cancel.signal.aborted)
        for (const id of [...resumable(view), ...readyAgents(view, deps)])
          if (!running.has(id) && stuckAt.get(id) !== view.lastSeq) {
            const from = view.lastSeq;
            running.set(
              id,
              driveAgent(o, id, cancel.signal).finally(() => {
                running.delete(id);
                if (o.log.view.lastSeq === from) stuckAt.set(id, from);
              }),
            );
          }
      if (running.size === 0) return finishIfDone(o, deps);
      await Promise.race(running.values());
    }
  } finally {
    o.signal.removeEventListener('abort', abort);
    await Promise.allSettled(running.values());
  }
}

/** agents a killed process left in the middle of an attempt or a heal */
function resumable(view: RunView): string[] {
  return view.order.filter((id) => {
    const a = view.agents[id];
    return a !== undefined && (a.status === 'running' || a.status === 'healing');
  });
}

function finishIfDone(o: ExecutorOptions, deps: Record<string, readonly string[]>): RunView {
  const view = o.log.view;
  if (isFinal(view.status)) return view;
  if (view.cancelRequested) {
    o.log.append({ type: 'run_finished', state: 'cancelled', message: 'cancelled by the user' });
    return o.log.view;
  }
  if (o.signal.aborted || view.status === 'waiting') return view;
  const agents = Object.values(view.agents);
  const failed = agents.filter((a) => a.status === 'failed');
  const blocked = agents.filter(
    (a) => a.status === 'pending' && (deps[a.id] ?? []).some((d) => view.agents[d]?.status === 'failed'),
  );
  if (agents.every((a) => a.status === 'succeeded'))
    o.log.append({ type: 'run_finished', state: 'succeeded', message: `${agents.length} agents succeeded` });
  else if (failed.length > 0)
    o.log.append({
      type: 'run_finished',
      state: 'failed',
      message: `failed: ${failed.map((a) => a.id).join(', ')}${blocked.length ? `; not started: ${blocked.map((a) => a.id).join(', ')}` : ''}`,
    });
  return o.log.view;
}

/** one agent from wherever its log ends to done, waiting, or interrupted */
async function driveAgent(o: ExecutorOptions, id: string, signal: AbortSignal): Promise<void> {
  const spec = o.pipeline.agents.find((a) => a.id === id)!;
  for (;;) {
    if (signal.aborted) return;
    const a = o.log.view.agents[id]!;
    if (a.status === 'succeeded' || a.status === 'failed' || a.status === 'waiting') return;
    const last = a.last;
    if (last === undefined) {
      o.log.append({
        type: 'attempt_started',
        agent: id,
        attempt: 1,
        specialists: plannedSpecialists(o, spec),
        hints: [],
      });
      continue;
    }
    switch (last.type) {
      case 'attempt_started':
        await runAttempt(o, spec, a.attempt, signal);
        break;
      case 'answer':
        if (last.to === 'engine') await runAttempt(o, spec, a.attempt, signal);
        else nextAttempt(o, a, a.specialists, []);
        break;
      case 'attempt_finished':
        onOutcome(o, spec, a, last.outcome);
        break;
      case 'heal':
        await performHeal(o, a, last, signal);
        break;
      case 'rollback':
      case 'replanned':
        nextAttempt(o, a, a.specialists, a.pendingHint ? [a.pendingHint] : []);
        break;
      default:
        throw new Error(`agent ${id}: cannot go on after a ${last.type} event`);
    }
  }
}

async function runAttempt(o: ExecutorOptions, spec: RunAgentSpec, attempt: number, signal: AbortSignal) {
  const view = o.log.view;
  const a = view.agents[spec.id]!;
  const upstream: UpstreamResult[] = spec.after.map((d) => ({
    agentId: d,
    result: view.agents[d]?.result ?? '',
    filesChanged: view.agents[d]?.filesChanged ?? [],
  }));
  let checks = 0;
  const checker: AcceptanceChecker = async (acceptance) => {
    const check = (): ReturnType<typeof runCheckCommand> =>
      runCheckCommand(acceptance.command, o.workspace.dir, acceptance.timeoutSeconds, signal);
    const r = o.io ? await o.io.track(check) : await check();
    if (r.passed) {
      const cid = `${spec.id}-a${attempt}-c${++checks}`;
      o.log.append({ type: 'checkpoint', agent: spec.id, id: cid, path: o.workspace.checkpoint(cid) });
    }
    return r;
  };
  let outcome: AgentOutcome;
  try {
    outcome = await o.runAgent(
      engineSpec({
        // the engine's idempotency keys start with the run id: one per attempt, so a retry's
        // effects never pass for the failed attempt's
        runId: `${o.log.runId}.a${attempt}`,
        pipeline: o.pipeline,
        agent: spec,
        fleet: o.fleet,
        specialists: a.specialists,
        hints: a.hints,
        upstream,
      }),
      {
        log: o.log.engineLog(spec.id, attempt),
        models: o.models,
        tools: o.toolsFor(spec, o.workspace),
        clock: o.clock,
        ids: o.ids,
        signal,
        checks: checker,
        ...(o.repair ? { repair: o.repair } : {}),
      },
    );
  } catch (e) {
    // interrupted: nothing is logged, the same attempt goes on at resume
    if (signal.aborted) return;
    outcome = {
      status: 'failed',
      failure: 'stall',
      message: `the engine failed: ${(e as Error).message}`,
      filesChanged: [],
    };
  }
  // an attempt that ends while interrupted is not judged: it goes on at resume
  if (signal.aborted && outcome.status !== 'succeeded' && outcome.status !== 'waiting') return;
  o.log.append({ type: 'attempt_finished', agent: spec.id, attempt, outcome });
}

function onOutcome(o: ExecutorOptions, spec: RunAgentSpec, a: AgentView, outcome: AgentOutcome): void {
  if (outcome.status === 'succeeded') {
    const files = [...new Set([...a.filesChanged, ...outcome.filesChanged])];
    o.log.append({
      type: 'agent_done',
      agent: a.id,
      status: 'succeeded',
      result: outcome.result,
      filesChanged: files,
    });
    return;
  }
  if (outcome.status === 'waiting') return; // the fold marks it waiting; `runs answer` goes on
  if (outcome.status === 'cancelled') {
    o.log.append({
      type: 'agent_done',
      agent: a.id,
      status: 'failed',
      result: 'cancelled',
      filesChanged: [],
    });
    return;
  }
  const d = decideHeal(outcome.failure, outcome.message, {
    attempts: a.attemptsSinceAnswer,
    failures: a.failures.map((f) => f.kind),
    specialists: spec.specialists.length,
    specialistsTried: a.tried.length,
    runStalls: o.log.view.stalls,
    replans: a.replans,
    rolledBack: a.rolledBack,
    maxAttempts: o.maxAttempts ?? 4,
  });
  o.log.append({
    type: 'heal',
    agent: a.id,
    attempt: a.attempt,
    failure: outcome.failure,
    action: d.action,
    detail: outcome.message.slice(0, 2000),
    ...(d.hint ? { hint: d.hint } : {}),
    ...(d.delayMs ? { delayMs: d.delayMs } : {}),
  });
}

async function performHeal(
  o: ExecutorOptions,
  a: AgentView,
  heal: { action: string; hint?: string; delayMs?: number; failure: string; detail: string },
  signal: AbortSignal,
): Promise<void> {
  const hints = heal.hint ? [heal.hint] : [];
  switch (heal.action) {
    case 'retry_after_backoff':
      try {
        await o.clock.sleep(heal.delayMs ?? 5000, signal);
      } catch {
        return;
      }
      nextAttempt(o, a, a.specialists, hints);
      return;
    case 'retry_changed_prompt':
      nextAttempt(o, a, a.specialists, hints);
      return;
    case 'other_specialist':
      nextAttempt(o, a, [...a.specialists.slice(1), ...a.specialists.slice(0, 1)], hints);
      return;
    case 'replan': {
      const view = o.log.view;
      const remaining = view.order.filter((id) => view.agents[id]?.status !== 'succeeded');
      const order = [
        ...view.order.filter((id) => view.agents[id]?.status === 'succeeded'),
        ...o.replan(remaining),
      ];
      o.log.append({
        type: 'replanned',
        agent: a.id,
        order,
        reason: `${heal.failure}: ${heal.detail.slice(0, 200)}`,
      });
      return;
    }
    case 'rollback': {
      const target = o.log.view.checkpoints.at(-1);
      if (target) o.workspace.restore(target.path);
      o.log.append({ type: 'rollback', agent: a.id, checkpoint: target?.id ?? 'none' });
      return;
    }
    case 'ask_user':
      o.log.append({
        type: 'ask_user',
        agent: a.id,
        attempt: a.attempt,
        question: `Agent ${a.id} failed ${a.attemptsSinceAnswer} attempts (last: ${heal.failure}: ${heal.detail.slice(0, 300)}). How should it go on?`,
      });
      return;
  }
}

/**
 * The first attempt's specialists: the agent's own, unless the chosen plan put the agent on a
 * model outside its model's chain (a strategy such as single-model that reassigns models) and the
 * file gave no specialists: then the planned model goes first, the agent's own stays as fallback.
 */
function plannedSpecialists(o: ExecutorOptions, spec: RunAgentSpec): string[] {
  const planned = o.log.view.plan?.slots.find((s) => s.agent === spec.id)?.model;
  if (planned === undefined || spec.specialistsGiven) return [...spec.specialists];
  const chain = o.fleet.models.some((m) => m.name === spec.model)
    ? [spec.model]
    : (o.fleet.aliases[spec.model] ?? []);
  if (chain.includes(planned)) return [...spec.specialists];
  return [planned, ...spec.specialists.filter((s) => s !== planned)];
}

function nextAttempt(
  o: ExecutorOptions,
  a: AgentView,
  specialists: readonly string[],
  hints: readonly string[],
) {
  o.log.append({
    type: 'attempt_started',
    agent: a.id,
    attempt: a.attempt + 1,
    specialists: [...specialists],
    // the user's answers stay in every later attempt's prompt
    hints: [...new Set([...a.hints, ...hints, ...a.answers.map((t) => `The user answered: ${t}`)])].slice(-6),
  });
}
