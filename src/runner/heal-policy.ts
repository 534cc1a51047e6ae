// The heal policy (DESIGN.md "Runner"): a failed agent attempt -> the next thing to try. Pure: the
// failure and what was tried before in, one action out. First that applies:
//   invalid or unknown tool call, no call -> retry with a changed prompt (the failure named), then
//     another specialist;
//   failed check -> retry with the check's output in the prompt, then another specialist;
//   timeout, backend down -> retry after a back-off (the gateway's fallback chain came first),
//     then another specialist;
//   loop detected -> another specialist, else re-plan;
//   stall -> another specialist; the third stall of the run re-plans the remaining agents;
//   nothing left to try -> roll back to the last good checkpoint, then ask the user.
import type { FailureKind } from '../engine/engine-types.ts';
import type { HealAction } from './run-events.ts';

export interface HealHistory {
  /** attempts of this agent so far (the failed one included) */
  attempts: number;
  /** failures of this agent, oldest first (the current one last) */
  failures: readonly FailureKind[];
  /** specialists of the agent in preference order, and how many were already the first choice */
  specialists: number;
  specialistsTried: number;
  /** stalls in the whole run, the current one included; reset by progress */
  runStalls: number;
  /** re-plans already done for this agent */
  replans: number;
  /** whether the workspace was already rolled back for this agent since the last answer */
  rolledBack: boolean;
  /** the most attempts an agent gets before the user is asked */
  maxAttempts: number;
}

export interface HealDecision {
  action: HealAction;
  /** added to the next attempt's instructions */
  hint?: string;
  /** back-off before the next attempt, ms */
  delayMs?: number;
}

export const STALLS_BEFORE_REPLAN = 3;

const REMINDERS: Partial<Record<FailureKind, string>> = {
  invalid_tool_call:
    'Your last tool call could not be read. Call one tool at a time with arguments that match its JSON schema exactly.',
  unknown_tool: 'You called a tool that does not exist. Use only the tools listed for this step.',
  timeout: 'The last attempt timed out. Take smaller steps.',
  loop_detected: 'You repeated the same step without progress. Choose a different next step.',
  stall: 'The last attempt made no progress. Name the next concrete step and do it.',
};

export function decideHeal(failure: FailureKind, detail: string, h: HealHistory): HealDecision {
  const sameKindBefore = h.failures.slice(0, -1).filter((f) => f === failure).length;
  const canSwitch = h.specialistsTried < h.specialists;
  const underCap = h.attempts < h.maxAttempts;
  if (!underCap) return exhausted(h);
  switch (failure) {
    case 'invalid_tool_call':
    case 'unknown_tool':
      if (sameKindBefore === 0) return { action: 'retry_changed_prompt', hint: REMINDERS[failure] };
      break;
    case 'failed_check':
      if (sameKindBefore === 0)
        return {
          action: 'retry_changed_prompt',
          hint: `The acceptance check failed. Fix what its output shows:\n${truncate(detail, 1500)}`,
        };
      break;
    case 'timeout':
    case 'backend_down':
      if (sameKindBefore < 2)
        return {
          action: 'retry_after_backoff',
          delayMs: 5000 * 2 ** sameKindBefore,
          hint: REMINDERS[failure],
        };
      break;
    case 'loop_detected':
      if (canSwitch) return { action: 'other_specialist', hint: REMINDERS.loop_detected };
      if (h.replans === 0) return { action: 'replan', hint: REMINDERS.loop_detected };
      break;
    case 'stall':
      if (h.runStalls >= STALLS_BEFORE_REPLAN && h.replans === 0)
        return { action: 'replan', hint: REMINDERS.stall };
      if (sameKindBefore === 0) return { action: 'retry_changed_prompt', hint: REMINDERS.stall };
      break;
  }
  if (canSwitch)
    return {
      action: 'other_specialist',
      hint:
        failure === 'failed_check'
          ? `The acceptance check failed:\n${truncate(detail, 1500)}`
          : REMINDERS[failure],
    };
  return exhausted(h);
}

function exhausted(h: HealHistory): HealDecision {
  return h.rolledBack ? { action: 'ask_user' } : { action: 'rollback' };
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}\n[... ${text.length - max} more characters]`;
}
