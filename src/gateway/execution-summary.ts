// What happened to one request on its way through the chain, filled in as it goes; the route
// writes it to the usage store and metrics at the end.
import type { Timings, Usage } from '../core/chat.ts';
import type { ErrorCode } from '../core/errors/index.ts';
import type { ToolCallRecord } from '../store/index.ts';

export interface AttemptRecord {
  model: string;
  server?: string;
  outcome: 'ok' | 'failed' | 'skipped';
  /** why it failed or was skipped (no prompt text) */
  reason?: string;
  code?: ErrorCode;
}

export interface ExecutionSummary {
  /** the model that answered (or was tried last) */
  model?: string;
  server?: string;
  local: boolean;
  /** backend calls made, retries included */
  attempts: number;
  fallbackUsed: boolean;
  trail: AttemptRecord[];
  /** ms queued in the scheduler and loading, of the attempt that answered */
  queuedMs: number;
  loadMs: number;
  usage?: Usage;
  timings?: Timings;
  /** clock ms at which the first content event arrived */
  firstTokenAt?: number;
  /** wall ms spent waiting for the scheduler and the backend (performance.now), to tell the
   * gateway's own processing time apart; not on the injected clock, since it measures CPU work */
  waitMs: number;
  errorCode?: ErrorCode;
  /** what the tool-call repair ladder made of the reply, when it ran */
  toolCalls?: ToolCallRecord;
}

export function newSummary(): ExecutionSummary {
  return { local: false, attempts: 0, fallbackUsed: false, trail: [], queuedMs: 0, loadMs: 0, waitMs: 0 };
}

/** `p`, adding the wall time spent waiting for it to `summary.waitMs` */
export async function timedWait<T>(summary: ExecutionSummary, p: Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await p;
  } finally {
    summary.waitMs += performance.now() - t0;
  }
}
