// What the arbiter is shown: a system prompt with the decision's JSON Schema, the task once
// (pinned in its thread), and at every step the state: phase, the offered specialists with their
// record, the result waiting for review, recent history, the last check and the user's answers.
import { ARBITER_DECISION_JSON_SCHEMA } from './arbiter-decision.ts';
import { allowedActions } from './decision-rules.ts';
import type { AgentSpec, SpecialistSpec } from './engine-types.ts';
import { statsIfAny, type EngineState } from './engine-state.ts';
import { acceptanceText } from './rule-fallback.ts';

const HISTORY_LINES = 8;

export function arbiterSystem(): string {
  return [
    'You are the arbiter of a software agent. You do not write code yourself: each step you choose one action.',
    'consult: give a specialist a self-contained instruction and its acceptance criteria.',
    'review: judge the pending result against its acceptance: approve, modify (rewrite the instruction for the same specialist), redirect (another specialist), or reject with a reason.',
    'dialogue: let two specialists talk a question through. change_phase: move to another phase. ask_user: only when no specialist can decide. finish: when the task is done.',
    'Answer with exactly one JSON object matching this JSON Schema, and nothing else:',
    JSON.stringify(ARBITER_DECISION_JSON_SCHEMA),
  ].join('\n');
}

export function taskMessage(spec: AgentSpec): string {
  const upstream = (spec.upstream ?? []).map(
    (u) =>
      `- ${u.agentId}: ${u.result}${u.filesChanged.length ? ` (files: ${u.filesChanged.join(', ')})` : ''}`,
  );
  return [
    `Agent ${spec.agentId}: ${spec.role}`,
    `Task:\n${spec.instructions}`,
    `Done when: ${acceptanceText(spec)}`,
    ...(upstream.length ? [`Results of the agents before this one:\n${upstream.join('\n')}`] : []),
  ].join('\n\n');
}

export function stepMessage(step: number, state: EngineState, offered: readonly SpecialistSpec[]): string {
  const parts = [`Step ${step + 1}. Phase: ${state.phase} (phases: ${state.phases.join(', ')}).`];
  parts.push(
    `Specialists you may consult now:\n${offered.map((s) => specialistLine(s, state)).join('\n') || '(none)'}`,
  );
  if (state.pending) parts.push(pendingText(state));
  if (state.history.length)
    parts.push(`What happened so far:\n${state.history.slice(-HISTORY_LINES).join('\n')}`);
  if (state.lastCheck && !state.lastCheck.passed)
    parts.push(`The last acceptance check FAILED:\n${state.lastCheck.output.slice(-1500)}`);
  for (const a of state.answers) parts.push(`The user answered "${a.question}": ${a.answer}`);
  parts.push(`Allowed actions now: ${allowedActions(state).join(', ')}. Answer with one JSON object.`);
  return parts.join('\n\n');
}

function specialistLine(s: SpecialistSpec, state: EngineState): string {
  const st = statsIfAny(state, s.name);
  const record = st && st.calls > 0 ? ` (${st.successes}/${st.calls} results approved)` : '';
  return `- ${s.name}: ${s.role}${record}`;
}

function pendingText(state: EngineState): string {
  const p = state.pending!;
  return [
    `Result waiting for your review, from ${p.specialist}:`,
    `instruction: ${p.instruction.slice(0, 1000)}${p.instruction.length > 1000 ? '...' : ''}`,
    `acceptance: ${p.acceptance}`,
    `valid: ${p.valid ? 'yes' : 'no'}; tool calls executed: ${p.executed}${p.failedCalls ? `, failed: ${p.failedCalls}` : ''}; files changed: ${p.filesChanged.join(', ') || 'none'}`,
    ...(p.problems.length ? [`problems: ${p.problems.join('; ')}`] : []),
    `answer: ${p.summary.slice(0, 2000)}`,
  ].join('\n');
}

export function correction(error: string, offered: readonly SpecialistSpec[]): string {
  return [
    `That decision is invalid: ${error}.`,
    `Specialists: ${offered.map((s) => s.name).join(', ') || '(none)'}.`,
    'Answer again with one JSON object matching the schema from the system prompt, and nothing else.',
  ].join('\n');
}
