// Task complexity on a 1-10 scale, from what is known before a model is asked: the task's size,
// how many agents it depends on, how many attempts already failed, and the phase. It picks the
// prompt variant and the candidates (a small model for a simple task, a large one for a hard one).

export interface ComplexityInput {
  /** estimated tokens of the task's text */
  taskTokens: number;
  dependencies: number;
  /** failed attempts so far (rejections, failed checks, invalid calls) */
  attempts: number;
  phase: string;
}

/** phases that need more reasoning than their text suggests */
const HARD_PHASES = /design|architect|debug|plan|review|security/i;

export function complexity(input: ComplexityInput): number {
  const size = input.taskTokens < 150 ? 0 : input.taskTokens < 600 ? 1 : input.taskTokens < 2000 ? 2 : 3;
  const deps = Math.min(2, Math.ceil(input.dependencies / 2));
  const attempts = Math.min(3, input.attempts);
  const phase = HARD_PHASES.test(input.phase) ? 1 : 0;
  return Math.max(1, Math.min(10, 1 + size + deps + attempts + phase));
}
