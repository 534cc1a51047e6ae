// Which decisions are valid in the current state. Every valid decision changes the state or
// records a result the next prompt shows; one that cannot (reviewing nothing, changing to the
// current phase, consulting a specialist that is not offered) is invalid and re-asked.
import type { AgentSpec, ArbiterDecision, ReviewVerdict, SpecialistSpec } from './engine-types.ts';
import type { EngineState } from './engine-state.ts';

export function allowedActions(state: EngineState): ArbiterDecision['action'][] {
  if (state.pending) return ['review', 'ask_user'];
  return ['consult', 'dialogue', 'change_phase', 'ask_user', 'finish'];
}

/** Why `d` is invalid now, or undefined when it is valid. */
export function invalidReason(
  d: ArbiterDecision,
  state: EngineState,
  offered: readonly SpecialistSpec[],
  spec: AgentSpec,
): string | undefined {
  const allowed = allowedActions(state);
  if (!allowed.includes(d.action))
    return state.pending
      ? `the result of ${state.pending.specialist} is waiting for review: the action must be one of ${allowed.join(', ')}`
      : `action ${d.action} is not possible now: nothing is waiting for review; choose one of ${allowed.join(', ')}`;
  const names = offered.map((s) => s.name);
  const unknown = (n: string): string =>
    `no specialist "${n}" is offered now; choose one of ${names.join(', ') || '(none)'}`;
  switch (d.action) {
    case 'consult':
      return names.includes(d.specialist) ? undefined : unknown(d.specialist);
    case 'dialogue': {
      const [a, b] = d.specialists;
      if (a === b) return 'a dialogue needs two different specialists';
      return [a, b].map((n) => (names.includes(n) ? undefined : unknown(n))).find(Boolean);
    }
    case 'review':
      return reviewReason(d.review, state, names);
    case 'change_phase':
      if (d.phase === state.phase) return `the phase is already ${d.phase}`;
      return state.phases.includes(d.phase)
        ? undefined
        : `unknown phase "${d.phase}"; phases: ${state.phases.join(', ')}`;
    case 'finish':
      if (spec.acceptance?.kind === 'review' && state.approved.length === 0)
        return 'the task needs an approved result before it can finish: consult a specialist first';
      return undefined;
    case 'ask_user':
      return undefined;
  }
}

function reviewReason(r: ReviewVerdict, state: EngineState, names: string[]): string | undefined {
  if (r.verdict !== 'redirect') return undefined;
  if (r.specialist === state.pending?.specialist)
    return `redirect to another specialist than ${r.specialist}`;
  return names.includes(r.specialist)
    ? undefined
    : `no specialist "${r.specialist}" is offered now; choose one of ${names.join(', ')}`;
}
