// runAgent: one agent's loop. Each step the arbiter decides (after the deterministic pre-filter
// of candidates), the loop detector looks at the decision, the decision is logged and performed.
// On resume the same loop runs over the prior log (journal.ts), so threads and state come back
// as they were and nothing logged is performed twice.
import { decide, type Decided } from './arbiter.ts';
import { applyDecision } from './apply-decision.ts';
import { candidates } from './candidates.ts';
import { complexity } from './complexity.ts';
import { Effects } from './effects.ts';
import {
  DEFAULT_LIMITS,
  type AgentOutcome,
  type AgentSpec,
  type EngineOptions,
  type FailureKind,
  type RunAgent,
  type SpecialistSpec,
} from './engine-types.ts';
import { initialState, statsRecord } from './engine-state.ts';
import { gatewayModels, type CallModel } from './gateway-model.ts';
import { Journal } from './journal.ts';
import { LoopDetector } from './loop-detector.ts';
import { loopBreaker, summarize } from './rule-fallback.ts';
import { Threads, type Runtime } from './runtime.ts';
import { TokenEstimator } from './token-estimate.ts';
import { validateSpec } from './validate-spec.ts';

/** loops broken before the agent fails with loop_detected */
const MAX_LOOPS = 3;

export const runAgent: RunAgent = (spec, options) =>
  runAgentWith(spec, options, gatewayModels(options.models, spec));

/** runAgent with the model port given (tests of the loop alone; the engine uses the gateway) */
export async function runAgentWith(
  spec: AgentSpec,
  options: EngineOptions,
  callModel: CallModel,
): Promise<AgentOutcome> {
  validateSpec(spec, options);
  const rt = runtime(spec, options, callModel);
  const signal = options.signal ?? new AbortController().signal;
  try {
    return await loop(rt, signal);
  } catch (e) {
    // a cancelled call is not logged: on resume it is made again
    if (signal.aborted) return { status: 'cancelled' };
    throw e;
  }
}

async function loop(rt: Runtime, signal: AbortSignal): Promise<AgentOutcome> {
  const { spec } = rt;
  await rt.journal.record({ type: 'agent_started', phase: rt.state.phase });
  const detector = new LoopDetector(rt.limits.loopRepeats);
  for (let step = 0; step < rt.limits.maxDecisions; step++) {
    if (signal.aborted) return { status: 'cancelled' };
    rt.journal.step = step;
    const offered = candidates(spec.specialists, rt.state, taskComplexity(rt));
    if (offered.every((s) => rt.state.unhealthy.includes(s.name)))
      return fail(
        rt,
        'backend_down',
        `every specialist's model is down: ${offered.map((s) => s.alias).join(', ')}`,
      );
    let d = await decide(rt, offered);
    if (detector.observe(d.decision, rt.state.progress)) {
      const broken = await breakLoop(rt, d, offered, detector);
      if (!broken)
        return fail(
          rt,
          'loop_detected',
          `the arbiter kept repeating "${summarize(d.decision)}" after ${MAX_LOOPS} broken loops`,
        );
      d = broken;
    }
    await rt.journal.record({ type: 'decision', decision: d.decision, source: d.source, reasks: d.reasks });
    const outcome = await applyDecision(rt, d.decision);
    if (signal.aborted) return { status: 'cancelled' };
    if (outcome?.status === 'succeeded') await rt.journal.record({ type: 'agent_finished', outcome });
    if (outcome) return outcome;
  }
  return fail(rt, 'stall', `no result after ${rt.limits.maxDecisions} decisions`);
}

function runtime(spec: AgentSpec, options: EngineOptions, callModel: CallModel): Runtime {
  const journal = new Journal(options.log, options.clock);
  const tools = new Map(options.tools.map((t) => [t.name, t]));
  const signal = options.signal ?? new AbortController().signal;
  const ctx = {
    runId: spec.runId,
    agentId: spec.agentId,
    clock: options.clock,
    signal,
    ...(options.repair ? { repair: options.repair } : {}),
  };
  return {
    spec,
    limits: { ...DEFAULT_LIMITS, ...spec.limits },
    journal,
    effects: new Effects(journal, callModel, tools, ctx),
    threads: new Threads(),
    tools,
    state: initialState(spec.phases ?? ['work'], spec.specialists),
    ...(options.checks ? { checks: options.checks } : {}),
  };
}

function taskComplexity(rt: Runtime): number {
  return complexity({
    taskTokens: TokenEstimator.raw(rt.spec.instructions),
    dependencies: rt.spec.dependsOn?.length ?? 0,
    attempts: rt.state.attempts,
    phase: rt.state.phase,
  });
}

/** Records the loop and returns the decision that breaks it, or undefined when none is left. */
async function breakLoop(
  rt: Runtime,
  d: Decided,
  offered: readonly SpecialistSpec[],
  detector: LoopDetector,
): Promise<Decided | undefined> {
  if (rt.state.loops >= MAX_LOOPS) return undefined;
  const breaker = loopBreaker(d.decision, rt.state, offered);
  rt.state.loops++;
  detector.reset();
  await rt.journal.record({
    type: 'loop_detected',
    repeats: rt.limits.loopRepeats,
    decision: d.decision,
    breaker: summarize(breaker),
  });
  await rt.journal.record({ type: 'heal', kind: 'loop_detected', action: summarize(breaker) });
  rt.threads.arbiter(rt.spec).add({
    role: 'user',
    content: `You made the same decision ${rt.limits.loopRepeats} times without progress ("${summarize(d.decision)}"). The engine chose instead: ${summarize(breaker)}.`,
  });
  return { decision: breaker, source: 'loop_breaker', reasks: d.reasks };
}

async function fail(rt: Runtime, kind: FailureKind, message: string): Promise<AgentOutcome> {
  const outcome: AgentOutcome = {
    status: 'failed',
    failure: kind,
    message,
    filesChanged: [...rt.state.filesChanged].sort(),
    stats: statsRecord(rt.state),
  };
  await rt.journal.record({ type: 'failure', kind, detail: message });
  await rt.journal.record({ type: 'agent_finished', outcome });
  return outcome;
}
