// A run on the virtual clock that also does real I/O (commands and checks in the workspace): the
// clock jumps to the next timer only while no real I/O is under way, so a test command that takes a
// real second does not let a gateway timeout fire in virtual time meanwhile.
import { settle, type ManualClock } from '../lib/clock.ts';

export class IoTracker {
  #busy = 0;

  get busy(): boolean {
    return this.#busy > 0;
  }

  async track<T>(work: () => Promise<T>): Promise<T> {
    this.#busy++;
    try {
      return await work();
    } finally {
      this.#busy--;
    }
  }

  /**
   * Work inside tracked I/O that waits on virtual time (a gateway call from a tool): the clock may
   * run meanwhile, as far as other I/O allows. Outside tracked I/O it is just `work`.
   */
  async untracked<T>(work: () => Promise<T>): Promise<T> {
    const held = this.#busy > 0;
    if (held) this.#busy--;
    try {
      return await work();
    } finally {
      if (held) this.#busy++;
    }
  }
}

export async function runVirtualWithIo<T>(clock: ManualClock, io: IoTracker, task: Promise<T>): Promise<T> {
  let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
  task.then(
    (value) => (outcome = { ok: true, value }),
    (error: unknown) => (outcome = { ok: false, error }),
  );
  let idleMs = 0;
  while (!outcome) {
    await settle(8);
    if (outcome) break;
    const next = clock.nextTimerAt();
    if (io.busy || next === undefined) {
      if (!io.busy && (idleMs += 5) > 30_000)
        throw new Error('the run is stuck: nothing is running and no timer is pending');
      await new Promise((r) => setTimeout(r, 5));
      continue;
    }
    idleMs = 0;
    await clock.advance(Math.max(0, next - clock.now()));
  }
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}
