// Waiting for a promise at most a while on the injected clock: the chat path asks whether the first
// content came before a keep-alive is due.
import type { Clock } from '../lib/clock.ts';

/** 'resolved' / 'rejected' when `p` settles within `ms` of the clock, else 'pending' */
export function settledWithin(
  clock: Clock,
  p: Promise<unknown>,
  ms: number,
): Promise<'resolved' | 'rejected' | 'pending'> {
  return new Promise((resolve) => {
    const cancel = clock.timer(ms, () => resolve('pending'));
    p.then(
      () => {
        cancel();
        resolve('resolved');
      },
      () => {
        cancel();
        resolve('rejected');
      },
    );
  });
}
