// The decision the rules make when the arbiter gave no valid one after its re-asks, and the
// decisions that break a detected loop. Both are deterministic and always valid in the state.
import { bestCandidate } from './candidates.ts';
import type { AgentSpec, ArbiterDecision, SpecialistSpec } from './engine-types.ts';
import { executedResult, type Consultation, type EngineState } from './engine-state.ts';

export function ruleDecision(
  state: EngineState,
  offered: readonly SpecialistSpec[],
  spec: AgentSpec,
): ArbiterDecision {
  const p = state.pending;
  if (p)
    return executedResult(p)
      ? {
          action: 'review',
          review: { verdict: 'approve', note: 'approved by the rules: the result is valid and executed' },
        }
      : { action: 'review', review: { verdict: 'reject', reason: rejection(p) } };
  const best = bestCandidate(offered, state);
  if (state.lastCheck && !state.lastCheck.passed && best)
    return { action: 'consult', specialist: best.name, ...fixCheck(state.lastCheck.output) };
  if (state.approved.length > 0 && !(state.lastCheck && !state.lastCheck.passed))
    return { action: 'finish', result: state.approved.map((c) => c.summary).join('\n') };
  if (best)
    return {
      action: 'consult',
      specialist: best.name,
      instruction: spec.instructions,
      acceptance: acceptanceText(spec),
    };
  return {
    action: 'ask_user',
    question: `No specialist can work on "${spec.role}" in phase ${state.phase}. How should I go on?`,
  };
}

/**
 * How to break a loop on `d`: another specialist for the same work, and once that was tried (or
 * there is no other), the user.
 */
export function loopBreaker(
  d: ArbiterDecision,
  state: EngineState,
  offered: readonly SpecialistSpec[],
): ArbiterDecision {
  const other =
    d.action === 'consult' && state.loops === 0 ? bestCandidate(offered, state, d.specialist) : undefined;
  if (d.action === 'consult' && other)
    return {
      action: 'consult',
      specialist: other.name,
      instruction: d.instruction,
      acceptance: d.acceptance,
      ...(d.files ? { files: d.files } : {}),
    };
  const failed = state.lastCheck && !state.lastCheck.passed;
  const fixer =
    d.action === 'finish' && failed && state.loops === 0 ? bestCandidate(offered, state) : undefined;
  if (fixer && state.lastCheck)
    return { action: 'consult', specialist: fixer.name, ...fixCheck(state.lastCheck.output) };
  return {
    action: 'ask_user',
    question: `I repeated "${summarize(d)}" without progress (${state.history.slice(-3).join(' | ') || 'no results'}). What should I do instead?`,
  };
}

function rejection(p: Consultation): string {
  if (!p.valid) return p.problems.join('; ') || 'the result was not valid';
  return p.failedCalls > 0
    ? `none of its ${p.failedCalls} tool calls succeeded`
    : 'it answered without calling any of its tools';
}

function fixCheck(output: string): { instruction: string; acceptance: string } {
  return {
    instruction: `The acceptance check failed. Fix the cause. Check output:\n${output.slice(-2000)}`,
    acceptance: 'the acceptance check passes',
  };
}

export function acceptanceText(spec: AgentSpec): string {
  const a = spec.acceptance;
  if (!a) return 'the task is done as described';
  return a.kind === 'command' ? `\`${a.command}\` passes in the workspace` : 'a reviewer approves the result';
}

export function summarize(d: ArbiterDecision): string {
  switch (d.action) {
    case 'consult':
      return `consult ${d.specialist}: ${d.instruction.slice(0, 80)}`;
    case 'review':
      return `review: ${d.review.verdict}`;
    case 'dialogue':
      return `dialogue ${d.specialists.join(' & ')}: ${d.question.slice(0, 80)}`;
    case 'change_phase':
      return `change phase to ${d.phase}`;
    case 'ask_user':
      return `ask the user: ${d.question.slice(0, 80)}`;
    case 'finish':
      return `finish: ${d.result.slice(0, 80)}`;
  }
}
