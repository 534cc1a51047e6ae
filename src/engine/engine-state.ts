// What the loop knows about one agent between decisions. Only the loop changes it, and only from
// results that are also in the event log, so a replay of the log rebuilds the same state. It is
// plain JSON (arrays and records, no Set or Map) so that it can be saved, sent or compared as is.
import type { CheckResult, FailureKind, SpecialistSpec, SpecialistStats } from './engine-types.ts';

export interface Consultation {
  specialist: string;
  instruction: string;
  acceptance: string;
  files?: string[];
  /** the specialist's final answer, or what went wrong */
  summary: string;
  /** finished with an answer, no invalid call left, no model failure */
  valid: boolean;
  /** tool calls executed successfully */
  executed: number;
  /** tool calls executed that failed (the tool answered an error) */
  failedCalls: number;
  /** tools the specialist was offered in its phase */
  toolsOffered: number;
  problems: string[];
  filesChanged: string[];
  failure?: FailureKind;
}

export interface EngineState {
  phase: string;
  readonly phases: readonly string[];
  /** a consultation's result waiting for the arbiter's review */
  pending?: Consultation;
  approved: Consultation[];
  /** one line per step, shown to the arbiter */
  history: string[];
  /** files changed so far, each once, in the order first changed */
  filesChanged: string[];
  /** per specialist name; read through statsOf (names are not trusted as object keys) */
  stats: Record<string, SpecialistStats>;
  /** failed attempts: rejections, failed checks, invalid results */
  attempts: number;
  /** bumped by anything that moves the task forward (loop detection resets on it) */
  progress: number;
  /** what moved the task forward so far: the same thing again is no progress */
  progressMade: string[];
  lastCheck?: CheckResult;
  answers: { question: string; answer: string }[];
  /** specialists whose model was down at their last call */
  unhealthy: string[];
  /** loops broken so far */
  loops: number;
}

export function initialState(phases: readonly string[], specialists: readonly SpecialistSpec[]): EngineState {
  return {
    phase: phases[0]!,
    phases,
    approved: [],
    history: [],
    filesChanged: [],
    stats: Object.fromEntries(specialists.map((s) => [s.name, { calls: 0, successes: 0 }])),
    attempts: 0,
    progress: 0,
    progressMade: [],
    answers: [],
    unhealthy: [],
    loops: 0,
  };
}

export function statsOf(state: EngineState, name: string): SpecialistStats {
  const known = statsIfAny(state, name);
  if (known) return known;
  const s = { calls: 0, successes: 0 };
  // defineProperty, not assignment: a name like "__proto__" must stay a plain key
  Object.defineProperty(state.stats, name, {
    value: s,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return s;
}

/** The specialist's record, or undefined before its first call. */
export function statsIfAny(state: EngineState, name: string): SpecialistStats | undefined {
  return Object.hasOwn(state.stats, name) ? state.stats[name] : undefined;
}

export function remember(state: EngineState, step: number, line: string): void {
  state.history.push(`step ${step + 1}: ${line}`);
}

export function statsRecord(state: EngineState): Record<string, SpecialistStats> {
  return Object.fromEntries(Object.entries(state.stats).map(([name, s]) => [name, { ...s }]));
}

/**
 * A result that counts as a success once approved: valid, and executed — a specialist with
 * tools acted through at least one of them; one without tools answered.
 */
export function executedResult(c: Consultation): boolean {
  return c.valid && (c.toolsOffered === 0 || c.executed > 0);
}

/**
 * Counts `fact` as progress unless it was made before: approving the same instruction of the same
 * specialist again, or talking the same question through again, does not move the task, so the
 * loop detector keeps counting the decisions that repeat it.
 */
export function advance(state: EngineState, fact: string): void {
  if (!addOnce(state.progressMade, fact)) return;
  state.progress++;
}

/** Appends `item` unless it is there already; true when it was added. */
export function addOnce(list: string[], item: string): boolean {
  if (list.includes(item)) return false;
  list.push(item);
  return true;
}
