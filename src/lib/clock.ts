// Time is injected everywhere through a Clock so tests run on a manual clock and never sleep on
// real time, and the emulator can run on scaled time.

export interface Clock {
  /** milliseconds since the Unix epoch (virtual on manual and scaled clocks) */
  now(): number;
  /** resolves after `ms` milliseconds of this clock's time; rejects with an AbortError on abort */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * calls `fn` after `ms` milliseconds of this clock's time unless the returned function cancels
   * it first. For timeouts, which are mostly cancelled: no AbortController, abort event or
   * rejected promise per timer, as sleep() with a signal costs (several per gateway request).
   */
  timer(ms: number, fn: () => void): () => void;
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const e = new Error('aborted');
  e.name = 'AbortError';
  return e;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleepOn(systemClock, ms, signal),
  timer: (ms, fn) => {
    const t = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(t);
  },
};

/** sleep() on a clock's timer: an aborted sleep cancels its timer and rejects */
function sleepOn(clock: Pick<Clock, 'timer'>, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const onAbort = (): void => {
      cancel();
      reject(abortError(signal!));
    };
    const cancel = clock.timer(ms, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Real time scaled: with scale 0.01 a 40 s sleep takes 0.4 s of wall time, while now() advances
 * as if the full 40 s had passed. Used by `orchestra emulate --time-scale`.
 */
export function scaledClock(scale: number, base: Clock = systemClock): Clock {
  if (!(scale > 0)) throw new RangeError(`time scale must be a positive number, got ${scale}`);
  const realStart = base.now();
  return {
    now: () => realStart + (base.now() - realStart) / scale,
    sleep: (ms, signal) => base.sleep(ms * scale, signal),
    timer: (ms, fn) => base.timer(ms * scale, fn),
  };
}

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
}

/** A clock that moves only when told to. Timers fire in time order, microtasks settle between. */
export class ManualClock implements Clock {
  private current: number;
  private timers: Timer[] = [];
  private seq = 0;

  constructor(start = 0) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal);
  }

  timer(ms: number, fn: () => void): () => void {
    const timer: Timer = { at: this.current + Math.max(0, ms), seq: this.seq++, resolve: fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** number of pending sleeps and timers */
  get pending(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, firing every timer due on the way, each at its own instant. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    await settle();
    for (;;) {
      const next = this.earliest();
      if (!next || next.at > target) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.current = Math.max(this.current, next.at);
      next.resolve();
      await settle();
    }
    this.current = Math.max(this.current, target);
    await settle();
  }

  /** Fires timers until none is left (or `maxMs` of virtual time has passed). */
  async runAll(maxMs = 365 * 24 * 3600 * 1000): Promise<void> {
    const limit = this.current + maxMs;
    await settle();
    for (;;) {
      const next = this.earliest();
      if (!next || next.at > limit) break;
      await this.advance(next.at - this.current);
    }
  }

  /** when the earliest pending sleep ends, or undefined when none is pending */
  nextTimerAt(): number | undefined {
    return this.earliest()?.at;
  }

  private earliest(): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.timers) {
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    return best;
  }
}

/** Lets pending promise chains (and I/O callbacks queued before now) run. */
export async function settle(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}

/**
 * Runs `task` in virtual time: whenever everything in process is waiting on the clock, jumps to
 * the next timer. Only for work that does no real I/O (in-process fetch, in-memory stores);
 * rejects if the task stalls with no timer pending, instead of hanging.
 */
export async function runVirtual<T>(
  clock: ManualClock,
  task: Promise<T>,
  options: {
    settleRounds?: number;
    /** real ms to wait for I/O before declaring a stall */ ioGraceMs?: number;
  } = {},
): Promise<T> {
  const { settleRounds = 8, ioGraceMs = 1000 } = options;
  let done = false;
  let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
  task.then(
    (value) => ((done = true), (outcome = { ok: true, value })),
    (error: unknown) => ((done = true), (outcome = { ok: false, error })),
  );
  let idle = 0;
  while (!done) {
    await settle(settleRounds);
    if (done) break;
    const next = clock.nextTimerAt();
    if (next === undefined) {
      // real I/O may still be under way (a socket, a file); give it a moment before giving up
      if (++idle * 5 > ioGraceMs) throw new Error('runVirtual: the task is stuck with no timer pending');
      await new Promise((r) => setTimeout(r, 5));
      continue;
    }
    idle = 0;
    await clock.advance(Math.max(0, next - clock.now()));
  }
  if (!outcome!.ok) throw outcome!.error;
  return outcome!.value;
}
