// One timer per stream instead of one per token: the deadline moves with every event, and a single
// sleep on the injected clock checks it. When it passes, `expired` rejects and `signal` aborts.
import { AppError } from '../core/errors/index.ts';
import type { Clock } from '../lib/clock.ts';

// a fixed abort reason: abort() without one builds a DOMException with a stack on every request
const STOPPED = new Error('watchdog stopped');

export class Watchdog {
  private readonly clock: Clock;
  private deadline = Infinity;
  private reason = '';
  private stopped = false;
  /** the running sleep and the deadline it wakes at */
  private sleeper: { until: number; cancel: AbortController } | undefined;
  private readonly controller = new AbortController();
  private rejectExpired: (e: AppError) => void = () => {};
  /** rejects with AppError 'upstream_timeout' when a deadline passes; never resolves */
  readonly expired: Promise<never>;

  constructor(clock: Clock) {
    this.clock = clock;
    this.expired = new Promise<never>((_, reject) => {
      this.rejectExpired = reject;
    });
    this.expired.catch(() => {}); // observed through race(); never an unhandled rejection
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
    this.sleeper?.cancel.abort(STOPPED);
    this.start();
  }

  stop(): void {
    this.stopped = true;
    this.sleeper?.cancel.abort(STOPPED);
    this.sleeper = undefined;
  }

  /** `promise`, or the timeout if it comes first */
  race<T>(promise: Promise<T>): Promise<T> {
    return Promise.race([promise, this.expired]);
  }

  private start(): void {
    const cancel = new AbortController();
    const until = this.deadline;
    this.sleeper = { until, cancel };
    this.clock.sleep(Math.max(0, until - this.clock.now()), cancel.signal).then(
      () => {
        if (cancel.signal.aborted || this.stopped) return;
        this.sleeper = undefined;
        if (this.clock.now() >= this.deadline) this.fire();
        else this.start();
      },
      () => {},
    );
  }

  private fire(): void {
    this.stopped = true;
    const e = new AppError('upstream_timeout', this.reason);
    this.controller.abort(e);
    this.rejectExpired(e);
  }
}
