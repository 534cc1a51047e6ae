// The part of a response after its first content event: no more fallback from here on. Applies the
// idle and total timeouts, records usage, and ends the lease exactly once (also when the client
// goes away or the consumer stops reading).
//
// An iterator written by hand, not an async generator: every token of every stream crosses it, and
// a generator's yield costs a few promises and an iterator result more per token than one `then`.
import type { ChatEvent } from '../core/chat.ts';
import { AppError, toAppError } from '../core/errors/index.ts';
import type { Clock } from '../lib/clock.ts';
import {
  ITERATION_END,
  isPushable,
  pullInto,
  type PushableIterator,
  type PushHandlers,
} from '../lib/pushable.ts';
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

const endedEarly = (): AppError =>
  new AppError('upstream_error', 'the backend ended the stream without a final event');

export function committedStream(p: CommittedParts): PushableIterator<ChatEvent> {
  return new CommittedStream(p);
}

class CommittedStream implements PushableIterator<ChatEvent> {
  readonly #p: CommittedParts;
  /** index of the next buffered event to hand out */
  #next = 0;
  #sawDone = false;
  #finished = false;

  constructor(p: CommittedParts) {
    this.#p = p;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<ChatEvent>> {
    const p = this.#p;
    if (this.#finished) return Promise.resolve(ITERATION_END);
    const buffered = p.buffered[this.#next];
    if (buffered !== undefined) {
      this.#next++;
      return Promise.resolve(this.#handOut(buffered));
    }
    if (this.#sawDone) {
      this.#succeed();
      return Promise.resolve(ITERATION_END);
    }
    this.#arm();
    const t0 = performance.now();
    return p.watchdog.race(p.iterator.next()).then(
      (r) => {
        p.summary.waitMs += performance.now() - t0;
        if (r.done) throw this.#failed(endedEarly());
        return this.#handOut(r.value);
      },
      (e: unknown) => {
        throw this.#failed(e);
      },
    );
  }

  /** the consumer stopped reading before the end: the request counts as cancelled */
  return(): Promise<IteratorResult<ChatEvent>> {
    if (!this.#finished) this.#finish({ ok: false, cancelled: true });
    return Promise.resolve(ITERATION_END);
  }

  /**
   * Pushes the events (lib/pushable.ts), under the same timeouts: the buffered ones now, the rest
   * as the backend's stream pushes them, or as they are pulled from a stream that cannot push.
   */
  subscribe(h: PushHandlers<ChatEvent>): void {
    const p = this.#p;
    for (; this.#next < p.buffered.length; this.#next++) h.item(this.#handOut(p.buffered[this.#next]!).value);
    if (!isPushable(p.iterator)) {
      pullInto(() => this.next(), h);
      return;
    }
    let since = performance.now();
    const fail = (e: unknown): void => {
      if (!this.#finished) h.end(this.#failed(e));
    };
    const succeed = (): void => {
      this.#succeed();
      h.end();
    };
    p.watchdog.listen(fail);
    if (this.#sawDone) {
      succeed();
      return;
    }
    this.#arm();
    p.iterator.subscribe({
      item: (e) => {
        if (this.#finished) return;
        p.summary.waitMs += performance.now() - since;
        this.#arm();
        h.item(this.#handOut(e).value);
        since = performance.now();
      },
      end: (e) => {
        if (this.#finished) return;
        if (e !== undefined) fail(e);
        else if (!this.#sawDone) fail(endedEarly());
        else succeed();
      },
    });
  }

  /** the stream is over after its final event: the lease ends ok */
  #succeed(): void {
    const p = this.#p;
    p.onSuccess();
    this.#finish({ ok: true, usage: p.summary.usage, timings: p.summary.timings });
  }

  /** the idle timeout from now, or what is left of the total one when that is sooner */
  #arm(): void {
    const p = this.#p;
    const left = p.totalDeadline - p.clock.now();
    if (left < p.idleMs) p.watchdog.arm(left, 'the request took longer than gateway.timeouts.totalSeconds');
    else p.watchdog.arm(p.idleMs, 'no token within gateway.timeouts.idleSeconds');
  }

  #handOut(e: ChatEvent): IteratorYieldResult<ChatEvent> {
    if (e.type === 'done') {
      this.#sawDone = true;
      this.#p.summary.usage = e.usage;
      if (e.timings) this.#p.summary.timings = e.timings;
    }
    return { done: false, value: e };
  }

  /** the AppError the consumer gets for `e`; the first one also ends the lease, not ok */
  #failed(e: unknown): AppError {
    const p = this.#p;
    const err = p.clientSignal.aborted ? new AppError('cancelled', 'the client went away') : toAppError(e);
    if (this.#finished) return err;
    p.summary.errorCode = err.code;
    if (err.code !== 'cancelled') p.onFailure(err);
    this.#finish({ ok: false, cancelled: err.code === 'cancelled' });
    return err;
  }

  #finish(outcome: LeaseOutcome): void {
    const p = this.#p;
    this.#finished = true;
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
