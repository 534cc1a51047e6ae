// One timer per stream instead of one per token: the deadline moves with every event, and a single
// timer on the injected clock checks it. When it passes, the pending race() rejects and `signal`
// aborts (so a backend that ignores the signal still cannot hold a request forever).
import { AppError } from '../core/errors/index.ts';
import type { Clock } from '../lib/clock.ts';

export class Watchdog {
  private readonly clock: Clock;
  private deadline = Infinity;
  private reason = '';
  private stopped = false;
  /** the running timer and the deadline it wakes at */
  private sleeper: { until: number; cancel: () => void } | undefined;
  private readonly controller = new AbortController();
  /** the timeout, once fired */
  private error: AppError | undefined;
  /** rejects the race() in progress (one at a time: a stream awaits one event after another), or
   * the listener */
  private rejectPending: ((e: AppError) => void) | undefined;

  constructor(clock: Clock) {
    this.clock = clock;
  }

  /** aborts when the watchdog fires */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** (re)sets the deadline to `ms` from now, naming what timed out */
  arm(ms: number, reason: string): void {
    if (this.stopped) return;
    this.deadline = this.clock.now() + ms;
    this.reason = reason;
    // a later deadline is picked up when the current sleep wakes; an earlier one needs a new sleep
    if (this.sleeper && this.sleeper.until <= this.deadline) return;
    this.sleeper?.cancel();
    this.start();
  }

  stop(): void {
    this.stopped = true;
    this.sleeper?.cancel();
    this.sleeper = undefined;
  }

  /** `promise`, or AppError 'upstream_timeout' if the deadline passes first */
  race<T>(promise: Promise<T>): Promise<T> {
    if (this.error) return Promise.reject(this.error);
    // not Promise.race with a shared never-settling promise: that would keep one reaction per event
    return new Promise<T>((resolve, reject) => {
      this.rejectPending = reject;
      promise.then(
        (v) => {
          this.rejectPending = undefined;
          resolve(v);
        },
        (e: unknown) => {
          this.rejectPending = undefined;
          // passed on as it came: the caller maps it with toAppError
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
          reject(e);
        },
      );
    });
  }

  /**
   * `onFire` is called with the timeout when the deadline passes, for a stream whose events are
   * pushed rather than awaited one race() at a time
   */
  listen(onFire: (e: AppError) => void): void {
    if (this.error) onFire(this.error);
    else this.rejectPending = onFire;
  }

  private start(): void {
    const until = this.deadline;
    const sleeper = {
      until,
      cancel: this.clock.timer(Math.max(0, until - this.clock.now()), () => {
        if (this.sleeper !== sleeper || this.stopped) return;
        this.sleeper = undefined;
        if (this.clock.now() >= this.deadline) this.fire();
        else this.start();
      }),
    };
    this.sleeper = sleeper;
  }

  private fire(): void {
    this.stopped = true;
    const e = new AppError('upstream_timeout', this.reason);
    this.error = e;
    this.rejectPending?.(e);
    this.controller.abort(e);
  }
}
