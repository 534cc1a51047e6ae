// The deterministic pre-filter of the specialists the arbiter may choose from: those meant for
// the phase, healthy at their last call, and sized for the task's complexity. A filter that
// would leave nobody is relaxed (complexity first, then health) rather than leave the arbiter
// without a choice; the phase is never relaxed.
import type { SpecialistSpec } from './engine-types.ts';
import { statsIfAny, type EngineState } from './engine-state.ts';

export function candidates(
  specialists: readonly SpecialistSpec[],
  state: EngineState,
  level: number,
): SpecialistSpec[] {
  const inPhase = specialists.filter((s) => !s.phases || s.phases.includes(state.phase));
  const healthy = inPhase.filter((s) => !state.unhealthy.includes(s.name));
  const sized = healthy.filter((s) => (s.minComplexity ?? 1) <= level && level <= (s.maxComplexity ?? 10));
  if (sized.length > 0) return sized;
  if (healthy.length > 0) return healthy;
  return inPhase;
}

/** The best candidate by the record so far: success rate, then fewer failures, then order. */
export function bestCandidate(
  list: readonly SpecialistSpec[],
  state: EngineState,
  except?: string,
): SpecialistSpec | undefined {
  const options = list.filter((s) => s.name !== except);
  const score = (s: SpecialistSpec): number => {
    const st = statsIfAny(state, s.name);
    return st && st.calls > 0 ? st.successes / st.calls : 0.5;
  };
  return [...options].sort((a, b) => score(b) - score(a))[0];
}
