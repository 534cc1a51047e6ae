// What the loop knows about one agent between decisions. Only the loop changes it, and only from
// results that are also in the event log, so a replay of the log rebuilds the same state.
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
  filesChanged: Set<string>;
  stats: Map<string, SpecialistStats>;
  /** failed attempts: rejections, failed checks, invalid results */
  attempts: number;
  /** bumped by anything that moves the task forward (loop detection resets on it) */
  progress: number;
  lastCheck?: CheckResult;
  answers: { question: string; answer: string }[];
  /** specialists whose model was down at their last call */
  unhealthy: Set<string>;
  /** loops broken so far */
  loops: number;
}

export function initialState(phases: readonly string[], specialists: readonly SpecialistSpec[]): EngineState {
  return {
    phase: phases[0]!,
    phases,
    approved: [],
    history: [],
    filesChanged: new Set(),
    stats: new Map(specialists.map((s) => [s.name, { calls: 0, successes: 0 }])),
    attempts: 0,
    progress: 0,
    answers: [],
    unhealthy: new Set(),
    loops: 0,
  };
}

export function statsOf(state: EngineState, name: string): SpecialistStats {
  let s = state.stats.get(name);
  if (!s) state.stats.set(name, (s = { calls: 0, successes: 0 }));
  return s;
}

export function remember(state: EngineState, step: number, line: string): void {
  state.history.push(`step ${step + 1}: ${line}`);
}

export function statsRecord(state: EngineState): Record<string, SpecialistStats> {
  return Object.fromEntries([...state.stats].map(([name, s]) => [name, { ...s }]));
}
