// Runs an OllamaCore on a Clock: wakes up when the core's next event is due, and turns core events
// into per-request promises (started, then done / failed / cancelled) for the HTTP layer.
import { AppError } from '../core/errors/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { CoreEvent, CoreRequest, CoreTimings } from './core-types.ts';
import type { OllamaCore } from './ollama-core.ts';

export interface Started {
  /** ms on the clock when the request got its slot */
  at: number;
  prefillMs: number;
  decodeMs: number;
}

export interface Finished {
  at: number;
  timings: CoreTimings;
  /** prompt tokens evaluated */
  promptTokens: number;
  /** prompt tokens read from the slot's cache */
  cachedTokens: number;
  outputTokens: number;
}

export interface Ticket {
  id: string;
  /** resolves when the request holds a slot on a ready runner */
  started: Promise<Started>;
  /** resolves when the modelled work is done; rejects with the AppError of a failure or cancel */
  finished: Promise<Finished>;
}

interface Waiter {
  start: (s: Started) => void;
  finish: (f: Finished) => void;
  fail: (e: AppError) => void;
}

export class CoreDriver {
  private readonly core: OllamaCore;
  private readonly clock: Clock;
  private readonly waiters = new Map<string, Waiter>();
  private timer: AbortController | undefined;
  private closed = false;
  /** every core event, for logs and tests */
  onEvent: ((e: CoreEvent) => void) | undefined;

  constructor(core: OllamaCore, clock: Clock) {
    this.core = core;
    this.clock = clock;
  }

  /** Submits a request; throws the AppError of an immediate refusal (503 queue full, 404). */
  submit(request: CoreRequest): Ticket {
    if (this.closed) throw new AppError('upstream_unavailable', 'the emulated server was closed');
    const s = deferred<Started>();
    const f = deferred<Finished>();
    const waiter: Waiter = {
      start: s.resolve,
      finish: f.resolve,
      fail: (e) => {
        s.reject(e);
        f.reject(e);
      },
    };
    this.waiters.set(request.id, waiter);
    try {
      this.apply(this.core.submit(request, this.clock.now()));
    } catch (e) {
      this.waiters.delete(request.id);
      this.poke(); // delivers what the core processed before refusing
      throw e;
    }
    return { id: request.id, started: s.promise, finished: f.promise };
  }

  /** Client gone: the request leaves the queue or frees its slot, exactly once. */
  cancel(id: string): void {
    if (this.closed) return;
    this.apply(this.core.cancel(id, this.clock.now()));
  }

  expire(model: string): void {
    this.apply(this.core.expire(model, this.clock.now()));
  }

  /** processes what is due now (after faults or config changes) */
  poke(): void {
    this.apply(this.core.advance(this.clock.now()));
  }

  close(): void {
    this.closed = true;
    this.timer?.abort();
    for (const [id, w] of this.waiters)
      w.fail(new AppError('upstream_unavailable', `emulator closed (request ${id})`));
    this.waiters.clear();
  }

  private apply(events: CoreEvent[]): void {
    for (const e of events) {
      this.onEvent?.(e);
      if (!('id' in e)) continue;
      const w = this.waiters.get(e.id);
      if (!w) continue;
      if (e.type === 'started') w.start({ at: e.at, prefillMs: e.prefillMs, decodeMs: e.decodeMs });
      else {
        this.waiters.delete(e.id);
        if (e.type === 'done')
          w.finish({
            at: e.at,
            timings: e.timings,
            promptTokens: e.promptTokens,
            cachedTokens: e.cachedTokens,
            outputTokens: e.outputTokens,
          });
        else if (e.type === 'failed')
          w.fail(
            new AppError(e.status === 500 ? 'load_failed' : 'internal', e.message, { retryable: false }),
          );
        else w.fail(new AppError('cancelled', 'request was cancelled'));
      }
    }
    this.schedule();
  }

  private schedule(): void {
    this.timer?.abort();
    this.timer = undefined;
    const at = this.core.nextEventAt();
    if (this.closed || at === undefined) return;
    const timer = new AbortController();
    this.timer = timer;
    this.clock.sleep(Math.max(0, at - this.clock.now()), timer.signal).then(
      () => {
        if (this.timer === timer) this.apply(this.core.advance(Math.max(at, this.clock.now())));
      },
      () => {},
    );
  }
}

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Callers may await only one of a ticket's promises; the other must not surface as unhandled.
  promise.catch(() => {});
  return { promise, resolve, reject };
}
