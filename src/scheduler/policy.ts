// What a policy is: routing of a new request to a server, putting it on that server's queues, and
// a step after every event that dispatches, loads and unloads. decide() does the bookkeeping all
// policies share. Pure: no I/O, no clock but `now`.
import type { RejectCode, SchedAction, SchedRequest } from './scheduler-types.ts';
import type { SchedulerState, ServerState } from './scheduler-state.ts';
import type { PolicyName } from '../config/schema.ts';

export interface Rejection {
  reject: RejectCode;
  message: string;
  retryAfterSeconds?: number;
}

export interface Policy {
  readonly name: PolicyName;
  route(
    state: SchedulerState,
    r: SchedRequest,
    candidates: readonly ServerState[],
    now: number,
  ): ServerState | Rejection;
  enqueue(state: SchedulerState, server: ServerState, r: SchedRequest, now: number): void;
  step(state: SchedulerState, server: ServerState, now: number, actions: SchedAction[]): void;
}

export function isRejection(x: ServerState | Rejection): x is Rejection {
  // a property read, not `in`: cheaper on the hot path, and a server state never has `reject`
  return (x as Partial<Rejection>).reject !== undefined;
}
