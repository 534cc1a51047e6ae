// The user's answer to a waiting run, appended to its log: to the engine when the agent's attempt
// itself asked (the same attempt goes on), else to the runner's heals (the next attempt gets it).
// `orchestra runs answer` and the dashboard's answer button both record it this way; the run goes
// on when it is resumed (`runs answer` resumes it at once in the foreground, the dashboard starts
// `orchestra runs resume` beside the gateway).
import { AppError } from '../core/errors/index.ts';
import type { RunStore } from '../store/run-store.ts';
import type { RunView } from './run-state.ts';

/** `view` is the run's current fold; `now` is the wall clock, ms */
export function answerRun(store: RunStore, view: RunView, text: string, now: number): void {
  if (!view.inputs) throw new AppError('not_found', `no run ${view.id}`);
  if (view.status !== 'waiting' || !view.question)
    throw new AppError('bad_request', `run ${view.id} is ${view.status}, not waiting for an answer`);
  if (text.trim() === '') throw new AppError('bad_request', `the answer to run ${view.id} is empty`);
  const agent = view.question.agent;
  const a = view.agents[agent];
  const engineAsked = a?.last?.type === 'attempt_finished' && a.lastOutcome?.status === 'waiting';
  const at = nextEventTime(view, now);
  if (engineAsked)
    store.append(view.id, {
      at,
      source: 'engine',
      agent,
      attempt: a.attempt,
      type: 'answer',
      body: { type: 'answer', at, step: 0, text },
    });
  store.append(view.id, {
    at,
    source: 'runner',
    agent,
    attempt: null,
    type: 'answer',
    body: { type: 'answer', agent, text, to: engineAsked ? 'engine' : 'runner' },
  });
}

/** when the user's next event happens: an emulated run keeps its virtual clock (the next instant
 * after its log); a real one, now (never before its last event) */
export function nextEventTime(view: RunView, now: number): number {
  const next = (view.updatedAt ?? 0) + 1;
  return view.inputs?.emulated ? next : Math.max(now, next);
}
