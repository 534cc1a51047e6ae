// Performs one decision. Each branch changes the state or records a result the next prompt
// shows; `finish` and an unanswered `ask_user` end the loop with an outcome.
import { runConsultation } from './consultation.ts';
import { dialogue } from './dialogue.ts';
import type {
  AgentOutcome,
  ArbiterDecision,
  CheckResult,
  ReviewVerdict,
  SpecialistSpec,
} from './engine-types.ts';
import { advance, executedResult, remember, statsOf, statsRecord } from './engine-state.ts';
import { canonical } from './loop-detector.ts';
import type { Runtime } from './runtime.ts';

export async function applyDecision(rt: Runtime, d: ArbiterDecision): Promise<AgentOutcome | undefined> {
  const { state, journal } = rt;
  switch (d.action) {
    case 'consult':
      await runConsultation(rt, specialist(rt, d.specialist), d);
      return undefined;
    case 'review':
      await applyReview(rt, d.review);
      return undefined;
    case 'dialogue': {
      const pair = [specialist(rt, d.specialists[0]), specialist(rt, d.specialists[1])] as const;
      const r = await dialogue(rt, pair, d.question);
      advance(state, `dialogue ${canonical([...d.specialists].sort())} ${canonical(d.question)}`);
      remember(
        state,
        journal.step,
        `dialogue of ${d.specialists.join(' and ')} (${r.turns} turns${r.concluded ? '' : ', no conclusion'}): ${r.outcome.slice(0, 300)}`,
      );
      return undefined;
    }
    case 'change_phase':
      await journal.record({ type: 'phase_changed', from: state.phase, to: d.phase, reason: d.reason });
      remember(state, journal.step, `phase ${state.phase} -> ${d.phase}: ${d.reason}`);
      state.phase = d.phase;
      return undefined;
    case 'ask_user':
      return askUser(rt, d.question);
    case 'finish':
      return finish(rt, d.result);
  }
}

async function applyReview(rt: Runtime, r: ReviewVerdict): Promise<void> {
  const { state, journal } = rt;
  const p = state.pending!;
  state.pending = undefined;
  const step = journal.step;
  switch (r.verdict) {
    case 'approve':
      // a success only when the approved result is valid and was executed
      if (executedResult(p)) statsOf(state, p.specialist).successes++;
      state.approved.push(p);
      advance(state, `approved ${p.specialist} ${canonical(p.instruction)}`);
      remember(state, step, `approved the result of ${p.specialist}${r.note ? `: ${r.note}` : ''}`);
      return;
    case 'reject':
      state.attempts++;
      remember(state, step, `rejected the result of ${p.specialist}: ${r.reason}`);
      return;
    case 'modify':
      state.attempts++;
      remember(state, step, `asked ${p.specialist} again with a rewritten instruction`);
      return runConsultation(rt, specialist(rt, p.specialist), { ...p, instruction: r.instruction });
    case 'redirect':
      state.attempts++;
      remember(state, step, `redirected the work of ${p.specialist} to ${r.specialist}: ${r.reason}`);
      return runConsultation(rt, specialist(rt, r.specialist), p);
  }
}

async function askUser(rt: Runtime, question: string): Promise<AgentOutcome | undefined> {
  await rt.journal.record({ type: 'ask_user', question });
  const answer = rt.journal.take('answer');
  if (!answer) return { status: 'waiting', question };
  rt.state.answers.push({ question, answer: answer.text });
  advance(rt.state, `answer ${canonical(question)} ${canonical(answer.text)}`);
  remember(rt.state, rt.journal.step, `the user answered: ${answer.text.slice(0, 300)}`);
  return undefined;
}

async function finish(rt: Runtime, result: string): Promise<AgentOutcome | undefined> {
  const { state, journal } = rt;
  const check = await runCheck(rt);
  if (check && !check.passed) {
    state.lastCheck = check;
    state.attempts++;
    await journal.record({ type: 'failure', kind: 'failed_check', detail: check.output.slice(-2000) });
    await journal.record({
      type: 'heal',
      kind: 'failed_check',
      action: "retry with the check's output in the prompt",
    });
    remember(state, journal.step, 'tried to finish, but the acceptance check failed');
    return undefined;
  }
  if (check) state.lastCheck = check;
  return {
    status: 'succeeded',
    result,
    filesChanged: [...state.filesChanged].sort(),
    stats: statsRecord(state),
  };
}

/** the agent's command acceptance, journaled: a logged check is not run again */
async function runCheck(rt: Runtime): Promise<CheckResult | undefined> {
  const a = rt.spec.acceptance;
  if (a?.kind !== 'command' || !rt.checks) return undefined;
  const logged = rt.journal.take('check');
  if (logged) return { passed: logged.passed, output: logged.output };
  const r = await rt.checks(a);
  await rt.journal.record({ type: 'check', passed: r.passed, output: r.output.slice(-4000) });
  return r;
}

function specialist(rt: Runtime, name: string): SpecialistSpec {
  const s = rt.spec.specialists.find((x) => x.name === name);
  if (!s) throw new Error(`applyDecision: specialist ${name} passed validation but does not exist`);
  return s;
}
