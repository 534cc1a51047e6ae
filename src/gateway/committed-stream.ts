// The part of a response after its first content event: no more fallback from here on. Applies the
// idle and total timeouts, records usage, and ends the lease exactly once (also when the client
// goes away or the consumer stops reading).
import type { ChatEvent } from '../core/chat.ts';
import { AppError, toAppError } from '../core/errors/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Lease, LeaseOutcome } from '../scheduler/scheduler-port.ts';
import type { ExecutionSummary } from './execution-summary.ts';
import type { Watchdog } from './watchdog.ts';

export interface CommittedParts {
  clock: Clock;
  iterator: AsyncIterator<ChatEvent>;
  buffered: ChatEvent[];
  lease?: Lease;
  watchdog: Watchdog;
  /** aborts the upstream call */
  abort: (reason: unknown) => void;
  clientSignal: AbortSignal;
  idleMs: number;
  /** clock ms after which the whole request times out */
  totalDeadline: number;
  summary: ExecutionSummary;
  onSuccess: () => void;
  onFailure: (e: AppError) => void;
}

export async function* committedStream(p: CommittedParts): AsyncGenerator<ChatEvent> {
  let outcome: LeaseOutcome = { ok: false, cancelled: true };
  let sawDone = false;
  try {
    for (const e of p.buffered) {
      if (e.type === 'done') sawDone = record(p.summary, e);
      yield e;
    }
    while (!sawDone) {
      const left = p.totalDeadline - p.clock.now();
      if (left < p.idleMs) p.watchdog.arm(left, 'the request took longer than gateway.timeouts.totalSeconds');
      else p.watchdog.arm(p.idleMs, 'no token within gateway.timeouts.idleSeconds');
      const t0 = performance.now();
      const r = await p.watchdog.race(p.iterator.next());
      p.summary.waitMs += performance.now() - t0;
      if (r.done) throw new AppError('upstream_error', 'the backend ended the stream without a final event');
      if (r.value.type === 'done') sawDone = record(p.summary, r.value);
      yield r.value;
    }
    outcome = { ok: true, usage: p.summary.usage, timings: p.summary.timings };
    p.onSuccess();
  } catch (e) {
    const err = p.clientSignal.aborted ? new AppError('cancelled', 'the client went away') : toAppError(e);
    p.summary.errorCode = err.code;
    outcome = { ok: false, cancelled: err.code === 'cancelled' };
    if (err.code !== 'cancelled') p.onFailure(err);
    throw err;
  } finally {
    p.watchdog.stop();
    if (!outcome.ok) {
      if (p.summary.errorCode === undefined) p.summary.errorCode = 'cancelled';
      p.abort(new AppError('cancelled', 'stream closed'));
    }
    p.lease?.release(outcome);
    // a pending next() may never settle once aborted; do not wait for the iterator to close
    void Promise.resolve(p.iterator.return?.()).catch(() => {});
  }
}

function record(summary: ExecutionSummary, e: Extract<ChatEvent, { type: 'done' }>): boolean {
  summary.usage = e.usage;
  if (e.timings) summary.timings = e.timings;
  return true;
}
